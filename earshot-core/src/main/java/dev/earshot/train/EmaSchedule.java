package dev.earshot.train;

import static dev.earshot.ConfigException.require;

/**
 * The decay of an exponential-moving-average teacher, linearly annealed (data2vec 2.0 / EAT
 * {@code get_annealed_rate}): decay(n) = end - (end - start) (1 - n / annealSteps) for the n-th update
 * (1-based) while n &lt; annealSteps, then {@code end}.
 *
 * @param start decay at update 0 (EAT 0.9998)
 * @param end final decay (EAT 0.99999)
 * @param annealSteps updates over which the decay moves from start to end (EAT-base 100,000)
 */
public record EmaSchedule(double start, double end, long annealSteps) {

  public EmaSchedule {
    require(start >= 0 && start <= 1, "emaStart", "must be in [0, 1]");
    require(end >= 0 && end <= 1, "emaEnd", "must be in [0, 1]");
    require(annealSteps >= 1, "emaAnnealSteps", "must be >= 1");
  }

  /** The decay applied at the {@code update}-th optimizer update (1-based). */
  public double decay(long update) {
    if (update >= annealSteps) {
      return end;
    }
    return end - (end - start) * (1 - (double) update / annealSteps);
  }
}
