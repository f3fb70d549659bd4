package dev.earshot.cli;

import dev.earshot.audio.AudioLoader;
import dev.earshot.audio.synth.ProceduralDataset;
import dev.earshot.audio.synth.SoundEvent;
import dev.earshot.data.Dataset;
import dev.earshot.data.FolderDataset;
import dev.earshot.data.UnlabeledAudio;
import dev.earshot.features.FbankConfig;
import dev.earshot.features.FeatureStatistics;
import dev.earshot.features.Normalization;
import dev.earshot.model.ModelSize;
import dev.earshot.pretrain.PretrainingMethod;
import dev.earshot.recipe.FineTuneRecipe;
import dev.earshot.recipe.FineTuning;
import dev.earshot.recipe.PretrainRecipe;
import dev.earshot.recipe.Pretraining;
import dev.earshot.recipe.PretrainingMethods;
import dev.earshot.recipe.Recipes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code earshot demo}: self-supervised pretraining beats training from scratch, on generated audio.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    defaultValueProvider = DemoCommand.Defaults.class,
    sortOptions = false,
    description = {
      "The main job on built-in generated audio: self-supervised pretraining against training from scratch.",
      "",
      "1. generates a procedural sound-event dataset (12 classes: tones, harmonics, sweeps, clicks, noise",
      "   bursts, beeps, sirens, drums, bells, crackle, bird-like calls; random pitch, duration, envelope,",
      "   timbre and noise) with an unlabelled pool and a small labelled train/test split;",
      "2. pretrains a small SSAST (masked patch InfoNCE + 10 x MSE; recipe ssast-cpu) or, with --method eat, a",
      "   small EAT (multi-clone student, EMA teacher, utterance-frame objective; recipe eat-cpu) or ASiT",
      "   (GMML + local/global self-distillation; recipe asit-cpu) or SS-MAST (a multiscale MAST encoder,",
      "   contrastive with a momentum teacher; recipe ssmast-cpu) on the pool;",
      "3. fine-tunes it, and an identical model from random weights, on the labelled clips;",
      "4. prints both test accuracies and writes curves, confusion matrices and the models.",
      "No downloads; about 4 minutes on 2 CPU cores with the defaults."
    })
final class DemoCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--out", paramLabel = "DIR", defaultValue = "earshot-demo",
      description = "Where data, runs, plots and models go (default: ${DEFAULT-VALUE}).")
  Path outDir;

  @Option(names = "--seed", defaultValue = "7", description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--data-only", description = {"Only write the data (OUT/data/pool, train, test) and stop — e.g. to",
      "run `earshot compare` on it."})
  boolean dataOnly;

  @Option(names = "--pool", defaultValue = "2400", description = "Unlabelled clips (default: ${DEFAULT-VALUE}).")
  int pool;

  @Option(names = "--train-per-class", defaultValue = "8", description = "Labelled training clips per class (default: ${DEFAULT-VALUE}).")
  int trainPerClass;

  @Option(names = "--test-per-class", defaultValue = "40", description = "Test clips per class (default: ${DEFAULT-VALUE}).")
  int testPerClass;

  @Option(names = "--method", paramLabel = "M", converter = MethodChoice.class,
      completionCandidates = MethodChoice.class,
      description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  PretrainingMethod<?> method;

  @Option(names = "--model", paramLabel = "NAME", completionCandidates = ModelNames.class,
      description = "Architecture (default: the method's family at micro size, e.g. ssast-micro-patch).")
  String model;

  @Option(names = "--pretrain-steps", defaultValue = "1500", description = "Pretraining updates (default: ${DEFAULT-VALUE}).")
  long pretrainSteps;

  @Option(names = "--batch-size", defaultValue = "32", description = "Pretraining batch (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--pretrain-lr", defaultValue = "1e-3", description = "Pretraining peak LR (default: ${DEFAULT-VALUE}).")
  double pretrainLr;

  @Mixin MaskingOptions masking;
  @Mixin ExecutionOptions compute;

  @Option(names = "--epochs", defaultValue = "60", description = "Fine-tuning epochs (default: ${DEFAULT-VALUE}).")
  double epochs;

  @Option(names = "--finetune-lr", defaultValue = "5e-4", description = "Fine-tuning peak LR (default: ${DEFAULT-VALUE}).")
  double finetuneLr;

  static final int FRAMES = 96;

  @Override
  public Integer call() throws Exception {
    OptionChecks.atLeast("--pool", pool, 1);
    OptionChecks.atLeast("--train-per-class", trainPerClass, 1);
    OptionChecks.atLeast("--test-per-class", testPerClass, 1);
    OptionChecks.atLeast("--pretrain-steps", pretrainSteps, 1);
    OptionChecks.atLeast("--batch-size", batchSize, 1);
    OptionChecks.positive("--pretrain-lr", pretrainLr);
    OptionChecks.fraction("--mask-ratio", masking.maskRatio, true);
    OptionChecks.positive("--epochs", epochs);
    OptionChecks.positive("--finetune-lr", finetuneLr);
    OptionChecks.outputDirectory(outDir);
    var out = spec.commandLine().getOut();
    var err = spec.commandLine().getErr();
    long start = System.nanoTime();
    Path data = outDir.resolve("data");
    String label = method.profile().displayName();
    if (model == null) {
      model = method.profile().family().modelName(ModelSize.MICRO);
    }
    out.printf(Locale.ROOT, "earshot demo: %s pretraining vs training from scratch (seed %d)%n", label, seed);

    // 1. data
    ProceduralDataset generator = new ProceduralDataset(pool, trainPerClass, testPerClass, 1.0, seed);
    int total = pool + (trainPerClass + testPerClass) * SoundEvent.values().length;
    try (ProgressBar bar = new ProgressBar(err, "generate", total)) {
      generator.writeTo(data, done -> bar.step(null));
    }
    Dataset unlabeled = UnlabeledAudio.read(data.resolve("pool"));
    Dataset train = FolderDataset.read(data.resolve("train"));
    Dataset test = FolderDataset.read(data.resolve("test"));
    List<Path> sample = new ArrayList<>();
    for (int i = 0; i < Math.min(200, unlabeled.size()); i++) {
      sample.add(unlabeled.clips().get(i).file());
    }
    FeatureStatistics stats = FeatureStatistics.compute(sample, AudioLoader.DEFAULT, FbankConfig.ast(), FRAMES, d -> { });
    Normalization norm = stats.toNormalization();
    out.printf(Locale.ROOT, "  data      %d unlabelled, %d train (%d/class), %d test clips, %d classes; fbank mean %.3f std %.3f%n",
        unlabeled.size(), train.size(), trainPerClass, test.size(), train.classes().size(), norm.mean(), norm.std());
    if (dataOnly) {
      out.printf(Locale.ROOT, "  written   %s (pool/, train/, test/)%n", data);
      out.flush();
      return 0;
    }

    // 2. pretraining (the method's shipped CPU recipe with this command's overrides)
    Map<String, Object> pre = new LinkedHashMap<>();
    pre.put("model", model);
    pre.put("frames", FRAMES);
    pre.put("steps", pretrainSteps);
    pre.put("batchSize", batchSize);
    pre.put("lr", pretrainLr);
    pre.put("seed", seed);
    pre.put("normalization", norm.mean() + "," + norm.std());
    pre.put("checkpointEvery", Math.max(100, pretrainSteps / 5));
    pre.put("randomCrop", false); // 1 s clips (98 frames) for 96-frame inputs: the first window, as the README measured
    Map<String, Object> section = new LinkedHashMap<>(masking.section(method));
    section.putAll(method.runLengthSettings(pretrainSteps)); // e.g. EAT's teacher decay ends with the run
    pre.put(method.name(), section.isEmpty() ? null : section);
    PretrainRecipe recipe = Recipes.pretrain(Recipes.merge(Recipes.load(method.profile().cpuRecipe()), pre),
        "demo pretraining");
    Path runs = outDir.resolve("runs");
    Pretraining.Result pretrained;
    try (TrainingProgress progress = new TrainingProgress(err, "pretrain", pretrainSteps,
        method.profile().metricKeys().toArray(new String[0]))) {
      pretrained = Pretraining.run(recipe, unlabeled, runs.resolve("pretrain"), null, true, null, progress,
          compute.execution());
    }
    out.printf(Locale.ROOT, "  pretrain  %s, %d steps x %d clips, %s: %.0f s%n", model, pretrainSteps, batchSize,
        pretrained.inputSummary(), pretrained.seconds());

    // 3. fine-tuning: pretrained and from scratch, the same recipe (finetune-cpu) for both
    Map<String, Object> ft = new LinkedHashMap<>();
    ft.put("frames", FRAMES);
    ft.put("epochs", epochs);
    ft.put("lr", finetuneLr);
    ft.put("seed", seed);
    ft.put("normalization", norm.mean() + "," + norm.std());
    FineTuneRecipe ftRecipe = Recipes.bind(Recipes.merge(Recipes.load("finetune-cpu"), ft), FineTuneRecipe.class,
        "demo fine-tuning");
    long steps = ftRecipe.toConfig().steps(train.size());
    double[] accuracy = new double[2];
    String[] names = {"pretrained", "scratch"};
    for (int run = 0; run < 2; run++) {
      FineTuning.Report report;
      try (TrainingProgress progress = new TrainingProgress(err, "finetune " + names[run], steps, "loss", "train_acc")) {
        report = FineTuning.run(ftRecipe, train, test, "holdout", run == 0 ? pretrained.modelDir() : null,
            run == 0 ? null : model, runs.resolve("finetune-" + names[run]), null, fold -> progress,
            compute.execution());
      }
      accuracy[run] = report.summary().get("accuracy")[0];
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    out.printf(Locale.ROOT, "  finetune  %d labelled clips, %.0f epochs, the same recipe for both%n", train.size(), epochs);
    out.println();
    out.printf(Locale.ROOT, "  test accuracy, %d clips of %d classes (chance %.1f%%):%n", test.size(),
        train.classes().size(), 100.0 / train.classes().size());
    out.printf(Locale.ROOT, "    %-17s %5.1f%%%n", label + "-pretrained", 100 * accuracy[0]);
    out.printf(Locale.ROOT, "    from scratch      %5.1f%%%n", 100 * accuracy[1]);
    out.printf(Locale.ROOT, "    difference        %+5.1f points%n", 100 * (accuracy[0] - accuracy[1]));
    out.println();
    out.printf(Locale.ROOT, "  plots     %s%n            %s%n            %s%n", runs.resolve("pretrain/curves.png"),
        runs.resolve("finetune-pretrained/confusion.png"), runs.resolve("finetune-scratch/confusion.png"));
    out.printf(Locale.ROOT, "  models    %s (encoder), %s (classifier)%n", pretrained.modelDir(),
        runs.resolve("finetune-pretrained/model"));
    out.printf(Locale.ROOT, "  try       ./earshot classify --model %s %s%n", runs.resolve("finetune-pretrained/model"),
        data.resolve("test/siren/clip_00000.wav"));
    out.printf(Locale.ROOT, "  took      %.1f min%n", seconds / 60);
    out.flush();
    return 0;
  }

  /** The default method is the registry's first; picocli annotations cannot name it themselves. */
  static final class Defaults implements IDefaultValueProvider {
    @Override
    public String defaultValue(ArgSpec argSpec) {
      return argSpec.isOption() && ((OptionSpec) argSpec).longestName().equals("--method")
          ? PretrainingMethods.defaultMethod().name() : null;
    }
  }
}
