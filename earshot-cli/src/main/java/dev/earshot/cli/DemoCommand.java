package dev.earshot.cli;

import ai.djl.ndarray.NDManager;
import dev.earshot.audio.AudioLoader;
import dev.earshot.audio.synth.ProceduralDataset;
import dev.earshot.audio.synth.SoundEvent;
import dev.earshot.data.BatchLoader;
import dev.earshot.data.Dataset;
import dev.earshot.data.FeatureSource;
import dev.earshot.data.FolderDataset;
import dev.earshot.data.Sampler;
import dev.earshot.data.UnlabeledAudio;
import dev.earshot.eval.FineTuneConfig;
import dev.earshot.eval.FineTuner;
import dev.earshot.eval.Metrics;
import dev.earshot.features.FbankConfig;
import dev.earshot.features.FeatureStatistics;
import dev.earshot.features.FrontEnd;
import dev.earshot.features.Normalization;
import dev.earshot.model.AudioTransformer;
import dev.earshot.model.AudioTransformerConfig;
import dev.earshot.model.ModelRegistry;
import dev.earshot.nn.StateDict;
import dev.earshot.nn.WeightTransfer;
import dev.earshot.plot.ConfusionMatrixImage;
import dev.earshot.pretrain.ClusterMasking;
import dev.earshot.pretrain.ssast.SsastConfig;
import dev.earshot.pretrain.ssast.SsastHeads;
import dev.earshot.pretrain.ssast.SsastObjective;
import dev.earshot.train.AdamW;
import dev.earshot.train.LrSchedule;
import dev.earshot.train.ParamGroups;
import dev.earshot.train.Trainer;
import dev.earshot.train.TrainerConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code earshot demo}: self-supervised pretraining beats training from scratch, on generated audio.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "The main job on built-in generated audio: SSAST pretraining against training from scratch.",
      "",
      "1. generates a procedural sound-event dataset (12 classes: tones, harmonics, sweeps, clicks, noise",
      "   bursts, beeps, sirens, drums, bells, crackle, bird-like calls; random pitch, duration, envelope,",
      "   timbre and noise) with an unlabelled pool and a small labelled train/test split;",
      "2. pretrains a small SSAST (masked patch InfoNCE + 10 x MSE) on the unlabelled pool;",
      "3. fine-tunes it, and an identical model from random weights, on the labelled clips;",
      "4. prints both test accuracies and writes curves, confusion matrices and the models.",
      "No downloads; about 10 minutes on 2 CPU cores with the defaults."
    })
final class DemoCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--out", paramLabel = "DIR", defaultValue = "earshot-demo",
      description = "Where data, runs, plots and models go (default: ${DEFAULT-VALUE}).")
  Path outDir;

  @Option(names = "--seed", defaultValue = "7", description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--pool", defaultValue = "2400", description = "Unlabelled clips (default: ${DEFAULT-VALUE}).")
  int pool;

  @Option(names = "--train-per-class", defaultValue = "8", description = "Labelled training clips per class (default: ${DEFAULT-VALUE}).")
  int trainPerClass;

  @Option(names = "--test-per-class", defaultValue = "40", description = "Test clips per class (default: ${DEFAULT-VALUE}).")
  int testPerClass;

  @Option(names = "--model", defaultValue = "ssast-micro-patch", description = "Architecture (default: ${DEFAULT-VALUE}).")
  String model;

  @Option(names = "--pretrain-steps", defaultValue = "1500", description = "SSAST updates (default: ${DEFAULT-VALUE}).")
  long pretrainSteps;

  @Option(names = "--batch-size", defaultValue = "32", description = "Pretraining batch (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--pretrain-lr", defaultValue = "1e-3", description = "Pretraining peak LR (default: ${DEFAULT-VALUE}).")
  double pretrainLr;

  @Option(names = "--mask-ratio", defaultValue = "0.75", description = "Share of patches masked (default: ${DEFAULT-VALUE}).")
  double maskRatio;

  @Option(names = "--epochs", defaultValue = "60", description = "Fine-tuning epochs (default: ${DEFAULT-VALUE}).")
  double epochs;

  @Option(names = "--finetune-lr", defaultValue = "5e-4", description = "Fine-tuning peak LR (default: ${DEFAULT-VALUE}).")
  double finetuneLr;

  static final int FRAMES = 96;

  @Override
  public Integer call() throws Exception {
    var out = spec.commandLine().getOut();
    var err = spec.commandLine().getErr();
    long start = System.nanoTime();
    Path data = outDir.resolve("data");
    out.printf(Locale.ROOT, "earshot demo: SSAST pretraining vs training from scratch (seed %d)%n", seed);

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
    FrontEnd frontEnd = new FrontEnd(AudioLoader.DEFAULT, FbankConfig.ast(), norm, FRAMES);
    FeatureSource source = new FeatureSource(frontEnd, null);
    out.printf(Locale.ROOT, "  data      %d unlabelled, %d train (%d/class), %d test clips, %d classes; fbank mean %.3f std %.3f%n",
        unlabeled.size(), train.size(), trainPerClass, test.size(), train.classes().size(), norm.mean(), norm.std());

    try (NDManager manager = NDManager.newBaseManager()) {
      // 2. pretraining
      AudioTransformerConfig encoderConfig = ModelRegistry.get(model, FRAMES, 0);
      AudioTransformer encoder = new AudioTransformer(manager, encoderConfig, seed);
      SsastHeads heads = new SsastHeads(manager, encoderConfig.embedDim(), encoderConfig.grid().patchSize(),
          new SplittableRandom(seed + 1));
      int maskCount = (int) Math.round(maskRatio * encoderConfig.grid().numPatches());
      SsastObjective objective = new SsastObjective(encoder, heads, SsastConfig.joint(ClusterMasking.patches(maskCount)),
          seed);
      AdamW optimizer = new AdamW(manager, ParamGroups.build(objective.trainable(), 0.01, 1, encoderConfig.depth(), true),
          AdamW.Settings.adamW(0.9, 0.95));
      LrSchedule schedule = new LrSchedule.WarmupCosine(pretrainLr, pretrainSteps / 20, pretrainSteps, pretrainLr / 50);
      TrainerConfig tc = new TrainerConfig(pretrainSteps, 1, 1.0, Math.max(100, pretrainSteps / 5), 10, seed);
      Path pretrainDir = outDir.resolve("runs").resolve("pretrain");
      long t0 = System.nanoTime();
      try (BatchLoader loader = new BatchLoader(unlabeled, source, new Sampler.Shuffled(unlabeled.size(), seed), batchSize,
          seed, null, 2, 4);
          TrainingProgress progress = new TrainingProgress(err, "pretrain", pretrainSteps, "nce", "mse", "mpc_acc")) {
        new Trainer(objective, loader, optimizer, schedule, tc, pretrainDir,
            Map.of("title", "SSAST pretraining (" + model + ")", "model", model, "maskCount", maskCount), progress)
            .run(true);
      }
      double pretrainSeconds = (System.nanoTime() - t0) / 1e9;
      var pretrained = StateDict.of(encoder);
      out.printf(Locale.ROOT, "  pretrain  %s, %d steps x %d clips, %d of %d patches masked: %.0f s%n", model,
          pretrainSteps, batchSize, maskCount, encoderConfig.grid().numPatches(), pretrainSeconds);

      // 3. fine-tuning: pretrained and scratch, same recipe
      FineTuneConfig ft = new FineTuneConfig(epochs, 16, finetuneLr, 0.1, finetuneLr / 100, 0.01, 1, 0.1, 1.0,
          null, false, seed);
      double[] accuracy = new double[2];
      String[] names = {"pretrained", "scratch"};
      for (int run = 0; run < 2; run++) {
        try (NDManager m = manager.newSubManager()) {
          AudioTransformer clf = new AudioTransformer(m, encoderConfig.withClasses(train.classes().size()), seed + 100);
          if (run == 0) {
            WeightTransfer.load(clf, pretrained, k -> k.startsWith("head."), pretrainDir);
          }
          long steps = ft.steps(train.size());
          FineTuner.Result r;
          try (TrainingProgress progress = new TrainingProgress(err, "finetune " + names[run], steps, "loss", "train_acc")) {
            r = FineTuner.run(clf, train, test, source, ft, outDir.resolve("runs").resolve("finetune-" + names[run]),
                Map.of("title", "fine-tuning (" + names[run] + ")"), progress, d -> { });
          }
          accuracy[run] = r.metrics().get("accuracy");
          ConfusionMatrixImage.write(outDir.resolve("runs").resolve("finetune-" + names[run]).resolve("confusion.png"),
              Metrics.confusion(r.predictions().logits(), r.predictions().targets()), train.classes(),
              "confusion (" + names[run] + ")");
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      out.printf(Locale.ROOT, "  finetune  %d labelled clips, %.0f epochs, same recipe for both%n", train.size(), epochs);
      out.println();
      out.printf(Locale.ROOT, "  test accuracy, %d clips of %d classes (chance %.1f%%):%n", test.size(),
          train.classes().size(), 100.0 / train.classes().size());
      out.printf(Locale.ROOT, "    SSAST-pretrained  %5.1f%%%n", 100 * accuracy[0]);
      out.printf(Locale.ROOT, "    from scratch      %5.1f%%%n", 100 * accuracy[1]);
      out.printf(Locale.ROOT, "    difference        %+5.1f points%n", 100 * (accuracy[0] - accuracy[1]));
      out.println();
      out.printf(Locale.ROOT, "  plots     %s (pretraining curves), %s, %s (confusion matrices)%n",
          pretrainDir.resolve("curves.png"), outDir.resolve("runs/finetune-pretrained/confusion.png"),
          outDir.resolve("runs/finetune-scratch/confusion.png"));
      out.printf(Locale.ROOT, "  took      %.1f min%n", seconds / 60);
      out.flush();
    }
    return 0;
  }
}
