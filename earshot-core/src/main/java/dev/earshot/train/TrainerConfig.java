package dev.earshot.train;

import static dev.earshot.ConfigException.require;

/**
 * How long and how carefully to train.
 *
 * @param totalSteps optimizer updates
 * @param accumulation micro-batches per update (gradients add up; the loss is divided by this)
 * @param clipNorm global gradient-norm limit, or 0 for none
 * @param checkpointEvery updates between checkpoints (the last step always checkpoints)
 * @param logEvery updates between metric lines
 * @param seed seeds data order, augmentation, masks and drop-path
 * @param clipPerParameter clip each parameter's gradient to {@code clipNorm} on its own (DINO/ASiT:
 *     g *= clipNorm / (|g| + 1e-6) when that is below 1) instead of the global norm
 */
public record TrainerConfig(long totalSteps, int accumulation, double clipNorm, long checkpointEvery, long logEvery,
    long seed, boolean clipPerParameter) {

  /** Global-norm clipping. */
  public TrainerConfig(long totalSteps, int accumulation, double clipNorm, long checkpointEvery, long logEvery,
      long seed) {
    this(totalSteps, accumulation, clipNorm, checkpointEvery, logEvery, seed, false);
  }

  public TrainerConfig {
    require(totalSteps >= 1, "steps", "must be >= 1, got " + totalSteps);
    require(accumulation >= 1, "accumulation", "must be >= 1, got " + accumulation);
    require(clipNorm >= 0, "clipNorm", "must be >= 0, got " + clipNorm);
    require(checkpointEvery >= 1, "checkpointEvery", "must be >= 1, got " + checkpointEvery);
    require(logEvery >= 1, "logEvery", "must be >= 1, got " + logEvery);
  }
}
