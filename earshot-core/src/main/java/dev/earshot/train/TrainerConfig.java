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
 */
public record TrainerConfig(long totalSteps, int accumulation, double clipNorm, long checkpointEvery, long logEvery,
    long seed) {
  public TrainerConfig {
    require(totalSteps >= 1, "steps", "must be >= 1, got " + totalSteps);
    require(accumulation >= 1, "accumulation", "must be >= 1, got " + accumulation);
    require(clipNorm >= 0, "clipNorm", "must be >= 0, got " + clipNorm);
    require(checkpointEvery >= 1, "checkpointEvery", "must be >= 1, got " + checkpointEvery);
    require(logEvery >= 1, "logEvery", "must be >= 1, got " + logEvery);
  }
}
