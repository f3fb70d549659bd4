package dev.earshot.features;

import java.util.random.RandomGenerator;

/**
 * Draws from Beta(alpha, beta) as X / (X + Y) with X ~ Gamma(alpha), Y ~ Gamma(beta), using the
 * Marsaglia-Tsang method for the Gamma draws (with the usual boost for shape below 1).
 */
public final class BetaSampler {
  private BetaSampler() {}

  /** One draw from Beta(alpha, beta); both parameters must be positive. */
  public static double sample(double alpha, double beta, RandomGenerator rng) {
    if (!(alpha > 0 && beta > 0)) {
      throw new IllegalArgumentException("Beta parameters must be positive, got " + alpha + ", " + beta);
    }
    double x = gamma(alpha, rng);
    double y = gamma(beta, rng);
    return x / (x + y);
  }

  static double gamma(double shape, RandomGenerator rng) {
    if (shape < 1) {
      double u = rng.nextDouble();
      return gamma(shape + 1, rng) * Math.pow(u, 1 / shape);
    }
    double d = shape - 1.0 / 3;
    double c = 1 / Math.sqrt(9 * d);
    while (true) {
      double x;
      double v;
      do {
        x = rng.nextGaussian();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      double u = rng.nextDouble();
      if (u < 1 - 0.0331 * x * x * x * x) {
        return d * v;
      }
      if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
        return d * v;
      }
    }
  }
}
