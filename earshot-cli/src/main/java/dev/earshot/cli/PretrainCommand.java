package dev.earshot.cli;

import dev.earshot.ConfigException;
import dev.earshot.data.DatasetSource;
import dev.earshot.data.Dataset;
import dev.earshot.recipe.PretrainRecipe;
import dev.earshot.recipe.Pretraining;
import dev.earshot.recipe.Recipes;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code earshot pretrain}: self-supervised pretraining on unlabelled audio. */
@Command(
    name = "pretrain",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Self-supervised pretraining on unlabelled audio: SSAST, EAT, ASiT or SS-MAST (with a MAST encoder).",
      "",
      "Starts from a recipe (--recipe: a built-in name such as ssast-cpu, ssast-tiny-patch, ssast-base-patch,",
      "ssast-base-frame, eat-cpu, eat-base, asit-cpu, asit-base-32k, asit-base-16k, ssmast-cpu, ssmast-small, or",
      "a YAML file); every flag overrides the recipe. Writes RUN/checkpoint (crash-safe, every checkpointEvery",
      "steps), RUN/metrics.jsonl, .csv and curves.png, RUN/run.json (the settings) and at the end RUN/model: the",
      "encoder as an earshot model directory for 'finetune', 'embed' and 'evaluate' (ASiT: the EMA teacher's",
      "backbone; the student's is RUN/model-student). '--resume RUN' continues an interrupted run exactly where",
      "its newest complete checkpoint left it. Data: FORMAT:PATH (unlabeled:DIR, folder:DIR, csv:FILE, ...);",
      "labels, if any, are ignored; unreadable clips are skipped and listed in RUN/skipped.txt."
    })
final class PretrainCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--data", paramLabel = "SPEC", description = "Audio to pretrain on (FORMAT:PATH); required unless "
      + "resuming.")
  String data;

  @Option(names = {"-o", "--out"}, paramLabel = "RUN", description = "Run folder; required unless given to --resume.")
  Path out;

  @Option(names = "--recipe", paramLabel = "NAME|FILE",
      description = "Recipe to start from (default: ssast-cpu, or METHOD-cpu with --method).")
  String recipe;

  @Option(names = "--method", paramLabel = "M", description = "ssast, eat, asit or ssmast (default: the recipe's).")
  String method;

  @Option(names = "--model", paramLabel = "NAME", description = "Architecture, e.g. ssast-tiny-patch.")
  String model;

  @Option(names = "--frames", paramLabel = "N", description = "Input length in frames.")
  Integer frames;

  @Option(names = "--steps", paramLabel = "N", description = "Optimizer updates.")
  Long steps;

  @Option(names = "--batch-size", paramLabel = "N", description = "Clips per update.")
  Integer batchSize;

  @Option(names = "--lr", paramLabel = "X", description = "Peak learning rate.")
  Double lr;

  @Option(names = "--norm", paramLabel = "N", description = "Normalisation: preset, auto, or MEAN,STD.")
  String norm;

  @Option(names = "--mask-ratio", paramLabel = "R", description = "Share of patches masked (SSAST and EAT).")
  Double maskRatio;

  @Option(names = "--mask-count", paramLabel = "N", description = "SSAST: patches masked per clip.")
  Integer maskCount;

  @Option(names = "--clones", paramLabel = "K", description = "EAT: masked copies of each clip.")
  Integer clones;

  @Option(names = "--checkpoint-every", paramLabel = "N", description = "Updates between checkpoints.")
  Long checkpointEvery;

  @Option(names = "--seed", paramLabel = "S", description = "Seed of data order, masks and initial weights.")
  Long seed;

  @Option(names = "--init", paramLabel = "MODEL_DIR", description = "Start from this earshot model's encoder.")
  Path init;

  @Option(names = "--resume", arity = "0..1", paramLabel = "RUN", fallbackValue = "",
      description = {"Continue a run from its newest checkpoint: '--resume RUN' alone uses the settings the run was",
          "started with (RUN/run.json); '-o RUN --resume' with the flags given."})
  String resume;

  @Option(names = "--cache", paramLabel = "DIR", description = "Cache filterbanks here (speeds up later epochs).")
  Path cache;

  @Override
  public Integer call() throws java.io.IOException {
    var out0 = spec.commandLine().getOut();
    var err = spec.commandLine().getErr();
    boolean resuming = resume != null;
    if (resuming && !resume.isEmpty()) {
      Path run = Path.of(resume);
      if (out != null && !out.toAbsolutePath().normalize().equals(run.toAbsolutePath().normalize())) {
        throw new ConfigException("--resume " + run + " and -o " + out + " name different run folders");
      }
      out = run;
      if (data == null) {
        restore(PretrainInvocation.read(run));
      }
    }
    if (data == null || out == null) {
      throw new ConfigException("pretrain needs --data SPEC and -o RUN (or --resume RUN to continue a run)");
    }
    OptionChecks.atLeast("--frames", frames, 1);
    OptionChecks.atLeast("--steps", steps, 1);
    OptionChecks.atLeast("--batch-size", batchSize, 1);
    OptionChecks.positive("--lr", lr);
    OptionChecks.fraction("--mask-ratio", maskRatio, true);
    OptionChecks.atLeast("--mask-count", maskCount, 1);
    OptionChecks.atLeast("--clones", clones, 1);
    OptionChecks.atLeast("--checkpoint-every", checkpointEvery, 1);
    OptionChecks.outputDirectory(out);
    OptionChecks.outputDirectory(cache);
    Map<String, Object> overrides = new LinkedHashMap<>();
    overrides.put("method", method);
    overrides.put("model", model);
    overrides.put("frames", frames);
    overrides.put("steps", steps);
    overrides.put("batchSize", batchSize);
    overrides.put("lr", lr);
    overrides.put("normalization", norm);
    overrides.put("checkpointEvery", checkpointEvery);
    overrides.put("seed", seed);
    String recipeName = recipe != null ? recipe : method != null ? method + "-cpu" : "ssast-cpu";
    Map<String, Object> base = Recipes.load(recipeName);
    String chosen = method != null ? method : String.valueOf(base.get("method"));
    if (chosen.equals("ssmast")) {
      if (maskCount != null || clones != null || maskRatio != null) {
        throw new ConfigException("--mask-count, --mask-ratio and --clones are SSAST's and EAT's; SS-MAST's patch-drop "
            + "is set in the recipe (ssmast.patchDrop)");
      }
    } else if (chosen.equals("asit")) {
      if (maskCount != null || clones != null || maskRatio != null) {
        throw new ConfigException("--mask-count, --mask-ratio and --clones are SSAST's and EAT's; ASiT's corruption is "
            + "set in the recipe (asit.dropShare, asit.replaceShare)");
      }
    } else if (chosen.equals("eat")) {
      Map<String, Object> eat = new LinkedHashMap<>();
      eat.put("maskFraction", maskRatio);
      eat.put("clones", clones);
      eat.values().removeIf(v -> v == null);
      if (maskCount != null) {
        throw new ConfigException("--mask-count is SSAST's; EAT takes --mask-ratio");
      }
      if (!eat.isEmpty()) {
        overrides.put("eat", eat);
      }
    } else {
      Map<String, Object> ssast = new LinkedHashMap<>();
      ssast.put("maskRatio", maskRatio);
      ssast.put("maskCount", maskCount);
      ssast.values().removeIf(v -> v == null);
      if (clones != null) {
        throw new ConfigException("--clones is EAT's");
      }
      if (!ssast.isEmpty()) {
        overrides.put("ssast", ssast);
      }
    }
    PretrainRecipe r = Recipes.bind(Recipes.merge(base, overrides), PretrainRecipe.class, "recipe " + recipeName);
    Dataset dataset = DatasetSource.read(data);
    java.nio.file.Files.createDirectories(out);
    new PretrainInvocation(PretrainInvocation.absoluteSpec(data), PretrainInvocation.absoluteRecipe(recipe),
        flags(), PretrainInvocation.absolute(init), PretrainInvocation.absolute(cache)).write(out);
    out0.printf(Locale.ROOT, "pretraining %s (%s) on %s: %d clips, %d steps x %d%n", r.method(), r.model(),
        dataset.name(), dataset.size(), r.stepsOrDefault(), r.batchSizeOrDefault());
    out0.flush();
    Pretraining.Result result;
    String[] shown = switch (r.method()) {
      case "eat" -> new String[] {"loss", "frame", "utterance", "ema_decay"};
      case "asit" -> new String[] {"loss", "global", "local", "rec"};
      case "ssmast" -> new String[] {"loss", "accuracy"};
      default -> new String[] {"loss", "nce", "mse", "mpc_acc"};
    };
    try (TrainingProgress progress = new TrainingProgress(err, "pretrain", r.stepsOrDefault(), shown)) {
      result = Pretraining.run(r, dataset, out, init, resuming, cache, progress);
    }
    result.skipped().forEach(s -> err.println("earshot: skipped " + s));
    if (!result.skipped().isEmpty()) {
      err.println("earshot: " + result.skipped().size() + " clip(s) skipped, listed in " + out.resolve("skipped.txt"));
    }
    var rows = result.log().rows();
    var last = rows.isEmpty() ? Map.<String, Double>of() : rows.get(rows.size() - 1);
    out0.printf(Locale.ROOT, "done in %.0f s; last step: %s%n", result.seconds(), last);
    out0.printf(Locale.ROOT, "  checkpoint %s%n  model      %s%n  curves     %s%n", out.resolve("checkpoint"),
        result.modelDir(), out.resolve("curves.png"));
    out0.flush();
    return 0;
  }

  /** The flags given, by name, for {@link PretrainInvocation} (null when not given). */
  private Map<String, Object> flags() {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("method", method);
    f.put("model", model);
    f.put("frames", frames);
    f.put("steps", steps);
    f.put("batchSize", batchSize);
    f.put("lr", lr);
    f.put("norm", norm);
    f.put("maskRatio", maskRatio);
    f.put("maskCount", maskCount);
    f.put("clones", clones);
    f.put("checkpointEvery", checkpointEvery);
    f.put("seed", seed);
    f.values().removeIf(v -> v == null);
    return f;
  }

  /** Takes the stored settings of a run for every option not given now. */
  private void restore(PretrainInvocation stored) {
    data = stored.data();
    recipe = recipe != null ? recipe : stored.recipe();
    init = init != null ? init : stored.init() == null ? null : Path.of(stored.init());
    cache = cache != null ? cache : stored.cache() == null ? null : Path.of(stored.cache());
    Map<String, Object> f = stored.overrides();
    method = method != null ? method : (String) f.get("method");
    model = model != null ? model : (String) f.get("model");
    frames = frames != null ? frames : number(f.get("frames"), Number::intValue);
    steps = steps != null ? steps : number(f.get("steps"), Number::longValue);
    batchSize = batchSize != null ? batchSize : number(f.get("batchSize"), Number::intValue);
    lr = lr != null ? lr : number(f.get("lr"), Number::doubleValue);
    norm = norm != null ? norm : (String) f.get("norm");
    maskRatio = maskRatio != null ? maskRatio : number(f.get("maskRatio"), Number::doubleValue);
    maskCount = maskCount != null ? maskCount : number(f.get("maskCount"), Number::intValue);
    clones = clones != null ? clones : number(f.get("clones"), Number::intValue);
    checkpointEvery = checkpointEvery != null ? checkpointEvery : number(f.get("checkpointEvery"), Number::longValue);
    seed = seed != null ? seed : number(f.get("seed"), Number::longValue);
  }

  private static <T> T number(Object value, java.util.function.Function<Number, T> as) {
    return value instanceof Number n ? as.apply(n) : null;
  }
}
