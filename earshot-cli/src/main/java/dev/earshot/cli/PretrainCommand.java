package dev.earshot.cli;

import dev.earshot.data.DatasetSource;
import dev.earshot.data.Dataset;
import dev.earshot.pretrain.PretrainingMethod;
import dev.earshot.recipe.PretrainRecipe;
import dev.earshot.recipe.PretrainingMethods;
import dev.earshot.recipe.Pretraining;
import dev.earshot.recipe.Recipes;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import dev.earshot.tensor.Execution;
import dev.earshot.tensor.World;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
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
      "a YAML file); every flag overrides the recipe. Writes RUN/checkpoint (atomic, every checkpointEvery steps),",
      "RUN/metrics.jsonl, .csv",
      "and curves.png, and at the end RUN/model: the encoder as an earshot model directory for 'finetune',",
      "'embed' and 'evaluate' (ASiT: the EMA teacher's backbone; the student's is RUN/model-student). --resume",
      "continues an interrupted run exactly where its last checkpoint left it. Data: FORMAT:PATH (unlabeled:DIR,",
      "folder:DIR, csv:FILE, ...); labels, if any, are ignored."
    })
final class PretrainCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--data", required = true, paramLabel = "SPEC", description = "Audio to pretrain on (FORMAT:PATH).")
  String data;

  @Option(names = {"-o", "--out"}, required = true, paramLabel = "RUN", description = "Run folder.")
  Path out;

  @Option(names = "--recipe", paramLabel = "NAME|FILE",
      description = "Recipe to start from (default: the method's CPU recipe, METHOD-cpu).")
  String recipe;

  @Option(names = "--method", paramLabel = "M", converter = MethodChoice.class,
      completionCandidates = MethodChoice.class,
      description = "${COMPLETION-CANDIDATES} (default: the recipe's, or the first without a recipe).")
  PretrainingMethod<?> method;

  @Option(names = "--model", paramLabel = "NAME", completionCandidates = ModelNames.class,
      description = "Architecture, e.g. ssast-tiny-patch (default: the recipe's).")
  String model;

  @Option(names = "--steps", paramLabel = "N", description = "Optimizer updates.")
  Long steps;

  @Mixin TrainingOverrides training;

  @Mixin MaskingOptions masking;
  @Mixin ExecutionOptions compute;
  @Mixin WorkerOptions workers;

  @Option(names = "--checkpoint-every", paramLabel = "N", description = "Updates between checkpoints.")
  Long checkpointEvery;

  @Option(names = "--init", paramLabel = "MODEL_DIR", description = "Start from this earshot model's encoder.")
  Path init;

  @Option(names = "--resume", description = "Continue from RUN/checkpoint if present.")
  boolean resume;

  @Override
  public Integer call() {
    var out0 = spec.commandLine().getOut();
    var err = spec.commandLine().getErr();
    if (workers.launchesWorkers()) {
      return LocalWorkers.run("pretrain", LocalWorkers.withoutWorkers(arguments()), workers.workers,
          workers.timeout(), out0, err);
    }
    World world = workers.world(System.getenv());
    Execution execution = compute.execution().in(world);
    String recipeName = recipeName(recipe, method);
    PretrainRecipe r = Recipes.pretrain(recipeTree(recipeName, method, model, steps, checkpointEvery, training, masking),
        "recipe " + recipeName);
    Dataset dataset = DatasetSource.read(data);
    if (world.isLeader()) {
      out0.printf(Locale.ROOT, "pretraining %s (%s) on %s: %d clips, %d steps x %d%s%n", r.method(), r.model(),
          dataset.name(), dataset.size(), r.stepsOrDefault(), r.batchSizeOrDefault(),
          world.isDistributed() ? " (global batch over " + world.size() + " workers)" : "");
      out0.flush();
    }
    Pretraining.Result result;
    try (TrainingProgress progress = new TrainingProgress(err, "pretrain", r.stepsOrDefault(),
        r.pretrainingMethod().profile().metricKeys().toArray(new String[0]))) {
      result = Pretraining.run(r, dataset, out, init, resume, training.cache, progress, execution);
    }
    result.skipped().forEach(s -> err.println("earshot: skipped " + s));
    if (!world.isLeader()) {
      return 0; // worker 0 reports
    }
    var rows = result.log().rows();
    var last = rows.isEmpty() ? Map.<String, Double>of() : rows.get(rows.size() - 1);
    out0.printf(Locale.ROOT, "done in %.0f s; last step: %s%n", result.seconds(), last);
    out0.printf(Locale.ROOT, "  checkpoint %s%n  model      %s%n  curves     %s%n", out.resolve("checkpoint"),
        result.modelDir(), out.resolve("curves.png"));
    out0.flush();
    return 0;
  }

  /** The recipe {@code --recipe} names, else the CPU recipe of {@code --method} (or of the default method). */
  static String recipeName(String recipe, PretrainingMethod<?> method) {
    return recipe != null ? recipe : (method != null ? method : PretrainingMethods.defaultMethod()).profile().cpuRecipe();
  }

  /** The recipe {@code recipeName} with the flags merged in (also {@code earshot spark pretrain}'s). */
  static Map<String, Object> recipeTree(String recipeName, PretrainingMethod<?> method, String model, Long steps,
      Long checkpointEvery, TrainingOverrides training, MaskingOptions masking) {
    Map<String, Object> overrides = new LinkedHashMap<>();
    overrides.put("method", method == null ? null : method.name());
    overrides.put("model", model);
    overrides.put("steps", steps);
    overrides.put("checkpointEvery", checkpointEvery);
    training.putInto(overrides);
    Map<String, Object> base = Recipes.load(recipeName);
    PretrainingMethod<?> chosen = method != null ? method
        : base.get("method") instanceof String name && PretrainingMethods.contains(name) ? PretrainingMethods.get(name)
        : null;
    if (chosen != null) {
      Map<String, Object> section = masking.section(chosen);
      overrides.put(chosen.name(), section.isEmpty() ? null : section);
    }
    return Recipes.merge(base, overrides);
  }

  /** This command's arguments as given (after the command's name). */
  private List<String> arguments() {
    List<String> all = spec.commandLine().getParseResult().originalArgs();
    int at = all.indexOf(spec.name());
    return all.subList(at + 1, all.size());
  }
}
