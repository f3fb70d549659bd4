package dev.earshot.cli;

import dev.earshot.ConfigException;
import dev.earshot.recipe.PretrainRecipe;
import dev.earshot.recipe.Recipes;
import dev.earshot.spark.Compute;
import dev.earshot.spark.PretrainLaunch;
import dev.earshot.spark.SparkPretraining;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code earshot spark pretrain}: data-parallel pretraining as a Spark barrier stage. */
@Command(
    name = "pretrain",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Data-parallel pretraining launched by Spark, as a barrier stage.",
      "",
      "A barrier stage of --workers tasks, each one rank of the same run 'earshot pretrain --workers N' starts as",
      "processes (same recipes, flags and results). Rank 0 picks a free port on its host and shares it through the",
      "barrier; it writes RUN/checkpoint, metrics and RUN/model, so RUN must be on rank 0's machine or a shared",
      "mount. The clips are --input's audio files in path order, or a --table's --column in table order; files on",
      "other Hadoop file systems are copied to each executor first. A re-attempted stage (a failed rank) continues",
      "from the last checkpoint."
    })
final class SparkPretrainCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin SparkInput input;

  @Option(names = {"-o", "--out"}, required = true, paramLabel = "RUN", description = "Run folder (rank 0 writes "
      + "it).")
  String out;

  @Option(names = "--workers", paramLabel = "N", defaultValue = "2",
      description = "Ranks: one barrier task each (needs N free task slots at once; default ${DEFAULT-VALUE}).")
  int workers;

  @Option(names = "--threads-per-worker", paramLabel = "T", defaultValue = "0",
      description = "CPU threads of each rank (default: spark.task.cpus).")
  int threadsPerWorker;

  @Mixin PretrainRecipeOptions recipeFlags;

  @Mixin TrainingOverrides training;
  @Mixin MaskingOptions masking;
  @Mixin ExecutionOptions compute;

  @Option(names = "--init", paramLabel = "MODEL_DIR", description = "Start from this earshot model's encoder.")
  String init;

  @Option(names = "--resume", description = "Continue from RUN/checkpoint if present.")
  boolean resume;

  @Option(names = "--dist-timeout", paramLabel = "SECONDS", defaultValue = "300", description = "How long ranks wait "
      + "for each other before the run stops naming the rank that stopped (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @Override
  public Integer call() {
    SparkInput.requireSpark();
    if (timeoutSeconds < 1) {
      throw new ConfigException("--dist-timeout must be at least 1 second, got " + timeoutSeconds);
    }
    recipeFlags.check();
    String recipeName = recipeFlags.recipeName();
    Map<String, Object> tree = recipeFlags.tree(training, masking);
    PretrainRecipe r = Recipes.pretrain(tree, "recipe " + recipeName);
    PretrainLaunch launch = new PretrainLaunch(workers, threadsPerWorker, Duration.ofSeconds(timeoutSeconds),
        new Compute(1, compute.device, compute.precision), init, resume,
        training.cache == null ? null : training.cache.toString());
    var o = spec.commandLine().getOut();
    o.printf(Locale.ROOT, "pretraining %s (%s) on Spark: %d steps x %d (global batch over %d ranks)%n", r.method(),
        r.model(), r.stepsOrDefault(), r.batchSizeOrDefault(), workers);
    o.flush();
    SparkPretraining.Result result = SparkJobs.pretrain(input.values(), tree, out, launch);
    result.skipped().forEach(s -> spec.commandLine().getErr().println("earshot: skipped " + s));
    o.printf(Locale.ROOT, "done in %.0f s on %d clips%s; last step: %s%n", result.seconds(), result.clips(),
        result.resumed() ? " (continued from the checkpoint)" : "", result.lastMetrics());
    o.printf(Locale.ROOT, "  checkpoint %s/checkpoint%n  model      %s%n", out, result.modelDir());
    o.flush();
    return 0;
  }
}
