package dev.earshot.cli;

import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * What {@code classify} and {@code embed} share: the model, the inputs and how they are batched.
 * An option both commands take belongs here (one line each).
 */
final class ModelInputOptions {
  @Option(names = "--model", required = true, paramLabel = "DIR", description = "An earshot model directory.")
  Path model;

  @Parameters(arity = "1..*", paramLabel = "IN", description = "Audio files/folders, or .npy with --features.")
  List<Path> inputs;

  @Option(names = "--features", description = "Inputs are normalised filterbank .npy files.")
  boolean features;

  @Option(names = "--batch-size", paramLabel = "N", defaultValue = "16",
      description = "Maximum batch (default: ${DEFAULT-VALUE}).")
  int batchSize;
}
