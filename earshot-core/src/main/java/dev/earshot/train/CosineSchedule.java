package dev.earshot.train;

import static dev.earshot.ConfigException.require;

/**
 * DINO's {@code cosine_scheduler} per update (ASiT uses it for the learning rate, the weight decay and the
 * teacher momentum): {@code warmupSteps} values from {@code warmupStart} to {@code base} inclusive
 * (numpy linspace), then base -> end along a half cosine over the remaining updates, end held afterwards.
 *
 * @param base value after the warm-up
 * @param end value at the end
 * @param totalSteps updates the schedule spans
 * @param warmupSteps linear warm-up updates (0 for none)
 * @param warmupStart value of the first warm-up update
 */
public record CosineSchedule(double base, double end, long totalSteps, long warmupSteps, double warmupStart) {

  public CosineSchedule {
    require(totalSteps >= 1, "steps", "must be >= 1");
    require(warmupSteps >= 0 && warmupSteps <= totalSteps, "warmupSteps", "must be in [0, steps]");
  }

  /** Without warm-up. */
  public CosineSchedule(double base, double end, long totalSteps) {
    this(base, end, totalSteps, 0, 0);
  }

  /** The value at update {@code step} (0-based). */
  public double value(long step) {
    if (step < warmupSteps) {
      return warmupSteps == 1 ? base : warmupStart + (base - warmupStart) * step / (warmupSteps - 1);
    }
    long span = totalSteps - warmupSteps;
    long i = step - warmupSteps;
    if (span <= 0 || i >= span) {
      return end;
    }
    return end + 0.5 * (base - end) * (1 + Math.cos(Math.PI * i / span));
  }
}
