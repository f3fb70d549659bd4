package dev.earshot.cli;

import dev.earshot.spark.Compute;
import dev.earshot.spark.Windowing;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * How {@code spark embed} and {@code spark classify} run their model on the executors: the batch of each
 * executor's one runner, the windows of long clips, device and precision. A picocli mixin.
 */
final class SparkModelOptions {
  @Option(names = "--batch-size", paramLabel = "N", defaultValue = "16",
      description = "Largest batch of each executor's model, across its tasks (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Mixin WindowOptions windowOptions;
  @Mixin ExecutionOptions compute;

  Windowing windowing() {
    return new Windowing(windowOptions.windowSeconds, windowOptions.hopSeconds, windowOptions.crop,
        windowOptions.aggregation());
  }

  Compute compute() {
    return new Compute(batchSize, compute.device, compute.precision);
  }
}
