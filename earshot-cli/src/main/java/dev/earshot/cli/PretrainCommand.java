package dev.earshot.cli;

import dev.earshot.ConfigException;
import dev.earshot.data.Dataset;
import dev.earshot.data.DatasetSource;
import dev.earshot.recipe.PretrainRecipe;
import dev.earshot.recipe.Pretraining;
import dev.earshot.recipe.PretrainingMethods;
import dev.earshot.recipe.Recipes;
import dev.earshot.tensor.Execution;
import dev.earshot.tensor.World;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
      "labels, if any, are ignored; unreadable clips are skipped and listed in RUN/skipped.txt.",
      "",
      "Data parallelism: --workers N trains with N processes on this machine; across machines, start one process",
      "per rank with --rank/--world-size/--master-addr/--master-port (or torchrun's RANK, WORLD_SIZE, MASTER_ADDR,",
      "MASTER_PORT). --batch-size is the global batch; worker 0 writes the run folder."
    })
final class PretrainCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--data", paramLabel = "SPEC",
      description = "Audio to pretrain on (FORMAT:PATH); required unless resuming.")
  String data;

  @Option(names = {"-o", "--out"}, paramLabel = "RUN", description = "Run folder; required unless given to --resume.")
  Path out;

  @Mixin PretrainRecipeOptions recipeFlags;

  @Mixin TrainingOverrides training;

  @Mixin MaskingOptions masking;
  @Mixin ExecutionOptions compute;
  @Mixin WorkerOptions workers;

  @Option(names = "--init", paramLabel = "MODEL_DIR", description = "Start from this earshot model's encoder.")
  Path init;

  @Option(names = "--resume", arity = "0..1", paramLabel = "RUN", fallbackValue = "",
      description = {"Continue a run from its newest checkpoint: '--resume RUN' alone uses the settings the run was",
          "started with (RUN/run.json); '-o RUN --resume' with the flags given."})
  String resume;

  @Override
  public Integer call() throws java.io.IOException {
    var out0 = spec.commandLine().getOut();
    var err = spec.commandLine().getErr();
    if (workers.launchesWorkers()) {
      return LocalWorkers.run("pretrain", LocalWorkers.withoutWorkers(arguments()), workers.workers,
          workers.timeout(), out0, err);
    }
    World world = workers.world(System.getenv());
    Execution execution = compute.execution().in(world);
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
    OptionChecks.atLeast("--frames", training.frames, 1);
    recipeFlags.check();
    OptionChecks.atLeast("--batch-size", training.batchSize, 1);
    OptionChecks.positive("--lr", training.lr);
    OptionChecks.fraction("--mask-ratio", masking.maskRatio, true);
    OptionChecks.atLeast("--mask-count", masking.maskCount, 1);
    OptionChecks.atLeast("--clones", masking.clones, 1);
    OptionChecks.outputDirectory(out);
    OptionChecks.outputDirectory(training.cache);
    String recipeName = recipeFlags.recipeName();
    PretrainRecipe r = Recipes.pretrain(recipeFlags.tree(training, masking), "recipe " + recipeName);
    Dataset dataset = DatasetSource.read(data);
    if (world.isLeader()) {
      Files.createDirectories(out);
      new PretrainInvocation(PretrainInvocation.absoluteSpec(data),
          PretrainInvocation.absoluteRecipe(recipeFlags.recipe),
          flags(), PretrainInvocation.absolute(init), PretrainInvocation.absolute(training.cache)).write(out);
      out0.printf(Locale.ROOT, "pretraining %s (%s) on %s: %d clips, %d steps x %d%s%n", r.method(), r.model(),
          dataset.name(), dataset.size(), r.stepsOrDefault(), r.batchSizeOrDefault(),
          world.isDistributed() ? " (global batch over " + world.size() + " workers)" : "");
      out0.flush();
    }
    Pretraining.Result result;
    try (TrainingProgress progress = new TrainingProgress(err, "pretrain", r.stepsOrDefault(),
        r.pretrainingMethod().profile().metricKeys().toArray(new String[0]))) {
      result = Pretraining.run(r, dataset, out, init, resuming, training.cache, progress, execution);
    }
    result.skipped().forEach(s -> err.println("earshot: skipped " + s));
    if (!world.isLeader()) {
      return 0; // worker 0 reports
    }
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

  /** This command's arguments as given (after the command's name). */
  private List<String> arguments() {
    List<String> all = spec.commandLine().getParseResult().originalArgs();
    int at = all.indexOf(spec.name());
    return all.subList(at + 1, all.size());
  }

  /** The flags given, by name, for {@link PretrainInvocation} (null when not given). */
  private Map<String, Object> flags() {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("method", recipeFlags.method == null ? null : recipeFlags.method.name());
    f.put("model", recipeFlags.model);
    f.put("frames", training.frames);
    f.put("steps", recipeFlags.steps);
    f.put("batchSize", training.batchSize);
    f.put("lr", training.lr);
    f.put("norm", training.norm);
    f.put("maskRatio", masking.maskRatio);
    f.put("maskCount", masking.maskCount);
    f.put("clones", masking.clones);
    f.put("checkpointEvery", recipeFlags.checkpointEvery);
    f.put("seed", training.seed);
    f.values().removeIf(v -> v == null);
    return f;
  }

  /** Takes the stored settings of a run for every option not given now. */
  private void restore(PretrainInvocation stored) {
    data = stored.data();
    recipeFlags.recipe = recipeFlags.recipe != null ? recipeFlags.recipe : stored.recipe();
    init = init != null ? init : stored.init() == null ? null : Path.of(stored.init());
    training.cache = training.cache != null ? training.cache : stored.cache() == null ? null : Path.of(stored.cache());
    Map<String, Object> f = stored.overrides();
    recipeFlags.method = recipeFlags.method != null ? recipeFlags.method
        : f.get("method") instanceof String name ? PretrainingMethods.get(name) : null;
    recipeFlags.model = recipeFlags.model != null ? recipeFlags.model : (String) f.get("model");
    training.frames = training.frames != null ? training.frames : number(f.get("frames"), Number::intValue);
    recipeFlags.steps = recipeFlags.steps != null ? recipeFlags.steps : number(f.get("steps"), Number::longValue);
    training.batchSize = training.batchSize != null ? training.batchSize
        : number(f.get("batchSize"), Number::intValue);
    training.lr = training.lr != null ? training.lr : number(f.get("lr"), Number::doubleValue);
    training.norm = training.norm != null ? training.norm : (String) f.get("norm");
    masking.maskRatio = masking.maskRatio != null ? masking.maskRatio : number(f.get("maskRatio"), Number::doubleValue);
    masking.maskCount = masking.maskCount != null ? masking.maskCount : number(f.get("maskCount"), Number::intValue);
    masking.clones = masking.clones != null ? masking.clones : number(f.get("clones"), Number::intValue);
    recipeFlags.checkpointEvery = recipeFlags.checkpointEvery != null ? recipeFlags.checkpointEvery
        : number(f.get("checkpointEvery"), Number::longValue);
    training.seed = training.seed != null ? training.seed : number(f.get("seed"), Number::longValue);
  }

  private static <T> T number(Object value, Function<Number, T> as) {
    return value instanceof Number n ? as.apply(n) : null;
  }
}
