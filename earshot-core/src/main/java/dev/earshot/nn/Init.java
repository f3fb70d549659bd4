package dev.earshot.nn;

import java.util.random.RandomGenerator;

/**
 * Seeded initial values, generated on the JVM so that a seed gives the same model everywhere. Each method
 * returns {@code n} values; the formulas are the PyTorch/timm ones named in each method.
 */
public final class Init {
  private Init() {}

  public static float[] zeros(int n) {
    return new float[n];
  }

  public static float[] ones(int n) {
    float[] x = new float[n];
    java.util.Arrays.fill(x, 1f);
    return x;
  }

  /** N(0, std^2). */
  public static float[] normal(int n, double std, RandomGenerator rng) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) (rng.nextGaussian() * std);
    }
    return x;
  }

  /** timm's trunc_normal_(std): N(0, std^2) restricted to [-2, 2] (absolute bounds, as timm does). */
  public static float[] truncatedNormal(int n, double std, RandomGenerator rng) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      double v;
      do {
        v = rng.nextGaussian() * std;
      } while (v < -2 || v > 2);
      x[i] = (float) v;
    }
    return x;
  }

  /** U(-bound, bound). */
  public static float[] uniform(int n, double bound, RandomGenerator rng) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) ((rng.nextDouble() * 2 - 1) * bound);
    }
    return x;
  }

  /** Xavier/Glorot uniform: U(-a, a), a = sqrt(6 / (fanIn + fanOut)). */
  public static float[] xavierUniform(int fanIn, int fanOut, int n, RandomGenerator rng) {
    return uniform(n, Math.sqrt(6.0 / (fanIn + fanOut)), rng);
  }

  /** Xavier/Glorot normal: N(0, 2 / (fanIn + fanOut)). */
  public static float[] xavierNormal(int fanIn, int fanOut, int n, RandomGenerator rng) {
    return normal(n, Math.sqrt(2.0 / (fanIn + fanOut)), rng);
  }

  /** PyTorch's default for Linear/Conv weights and biases: U(-1/sqrt(fanIn), 1/sqrt(fanIn)). */
  public static float[] pytorchDefault(int fanIn, int n, RandomGenerator rng) {
    return uniform(n, 1.0 / Math.sqrt(fanIn), rng);
  }
}
