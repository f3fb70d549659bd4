package dev.earshot.cli;

import dev.earshot.spark.ClassifyOptions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code earshot spark classify}: the top classes (or every score) of every clip, as Parquet. */
@Command(
    name = "classify",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Class scores of every clip on Spark, as Parquet.",
      "",
      "The same numbers as 'earshot classify'. Columns: the input's, then duration_s, cropped, window_count and",
      "predictions (the --top-k classes: index, label, score, best first) or with --all-scores scores (every class",
      "in label order; the labels are the column's metadata), --windows adds every window's answer with its start",
      "and end; last error and error_kind."
    })
final class SparkClassifyCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin SparkInput input;

  @Option(names = "--model", required = true, paramLabel = "DIR", description = "An earshot model directory with a "
      + "classifier head (a path every executor sees, or a Hadoop URI: copied once per executor).")
  String model;

  @Mixin SparkOutput output;

  @Option(names = "--top-k", paramLabel = "N", defaultValue = "5", description = "Classes per clip (default 5).")
  int topK;

  @Option(names = "--all-scores", description = "Every class's score in label order instead of the top k.")
  boolean allScores;

  @Option(names = "--windows", description = "Also every window's answer, with its start and end.")
  boolean windows;

  @Mixin SparkModelOptions run;

  @Override
  public Integer call() {
    SparkInput.requireSpark();
    if (!allScores && topK < 1) {
      throw new dev.earshot.ConfigException("--top-k must be at least 1 (or --all-scores), got " + topK);
    }
    ClassifyOptions options = new ClassifyOptions(allScores ? 0 : topK, windows, run.windowing(), run.compute());
    return output.report(SparkJobs.classify(input.values(), model, options, output.out, output.overwrite),
        spec.commandLine().getOut(), spec.commandLine().getErr());
  }
}
