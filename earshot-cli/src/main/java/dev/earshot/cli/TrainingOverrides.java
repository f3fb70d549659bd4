package dev.earshot.cli;

import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Recipe overrides that pretraining and fine-tuning share under the same recipe keys, and the filterbank cache;
 * a flag left out keeps the recipe's value.
 */
final class TrainingOverrides {
  @Option(names = "--frames", paramLabel = "N", description = "Input length in frames (key frames).") Integer frames;
  @Option(names = "--batch-size", paramLabel = "N", description = "Clips per update (key batchSize).") Integer batchSize;
  @Option(names = "--lr", paramLabel = "X", description = "Peak learning rate (key lr).") Double lr;
  @Option(names = "--seed", paramLabel = "S", description = "Seed of data order, masks, augmentation and initial"
      + " weights (key seed).") Long seed;
  @Option(names = "--norm", paramLabel = "N", description = {"Input normalisation (key normalization): a preset",
      "(audioset, esc50, ...), auto (statistics of the data), MEAN,STD, or model (fine-tuning: the initial model's)."})
  String norm;
  @Option(names = "--cache", paramLabel = "DIR", description = "Cache filterbanks here (speeds up later epochs).")
  Path cache;

  /** Adds the given flags to {@code overrides} under their recipe keys (absent flags as null: not applied). */
  void putInto(Map<String, Object> overrides) {
    overrides.put("frames", frames);
    overrides.put("batchSize", batchSize);
    overrides.put("lr", lr);
    overrides.put("normalization", norm);
    overrides.put("seed", seed);
  }
}
