package dev.earshot.cli;

import dev.earshot.EarshotException;
import dev.earshot.features.FrontEnd;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * What {@code classify} and {@code embed} share: the model, the inputs and how they are prepared and batched.
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

  /**
   * The inputs prepared by {@code frontEnd} (the model's); each unreadable one is reported on {@code err} and
   * skipped, and none readable is an error.
   */
  ModelInputs.Loaded load(FrontEnd frontEnd, PrintWriter err) {
    ModelInputs.Loaded loaded = ModelInputs.load(inputs, features, frontEnd, err);
    loaded.skipped().forEach(s -> err.println("earshot: skipped " + s));
    if (loaded.clips().isEmpty()) {
      throw new EarshotException("no input could be read");
    }
    return loaded;
  }
}
