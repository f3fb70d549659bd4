package dev.earshot.cli;

import dev.earshot.spark.EmbedOptions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code earshot spark embed}: clip or time-step embeddings of every clip, as Parquet. */
@Command(
    name = "embed",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Embeddings of every clip on Spark, as Parquet.",
      "",
      "The same numbers as 'earshot embed'. Columns: the input's, then duration_s, cropped, window_count and",
      "embedding (D floats; --windows adds every window's index, start_s, end_s and embedding), or with --frames",
      "cropped, timestamps_ms and embeddings (steps x D); last error and error_kind (null, or why the clip failed:",
      "NOT_FOUND, CORRUPT, TRUNCATED, TOO_SHORT, ...)."
    })
final class SparkEmbedCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin SparkInput input;

  @Option(names = "--model", required = true, paramLabel = "DIR",
      description = "An earshot model directory (a path every executor sees, or a Hadoop URI: copied once per "
          + "executor).")
  String model;

  @Mixin SparkOutput output;

  @Option(names = "--layer", paramLabel = "K", defaultValue = "-1",
      description = "-1 final output (default), 0 embedded input, k output of block k.")
  int layer;

  @Option(names = "--frames", description = "Per-time-step (timestamp) embeddings stitched across windows.")
  boolean frames;

  @Option(names = "--windows", description = "Also every window's embedding, with its start and end.")
  boolean windows;

  @Mixin SparkModelOptions run;

  @Override
  public Integer call() {
    SparkInput.requireSpark();
    EmbedOptions options = new EmbedOptions(layer, frames, windows, run.windowing(), run.compute());
    return output.report(SparkJobs.embed(input.values(), model, options, output.out, output.overwrite),
        spec.commandLine().getOut(), spec.commandLine().getErr());
  }
}
