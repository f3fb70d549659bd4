package dev.earshot.features;

import java.util.random.RandomGenerator;

/**
 * The two mix-up variants of the methods earshot implements.
 *
 * <ul>
 *   <li>{@link #mixWaveforms} (AST/SSAST): both clips DC-removed, the partner zero-padded or cut to the
 *       first clip's length, lambda ~ Beta(10, 10), mixed = lambda w1 + (1 - lambda) w2, DC-removed again.
 *   <li>{@link #mixBatch} (EAT): one lambda ~ Beta(alpha, alpha) per batch and
 *       x[i] = lambda x[i] + (1 - lambda) x[B - 1 - i] (the batch mixed with its own reversal).
 * </ul>
 * Labels mix with the same lambda: {@link #mixLabels}.
 */
public final class Mixup {
  private Mixup() {}

  /** A mixed waveform and the weight of the first clip. */
  public record MixedWaveform(float[] samples, double lambda) {}

  /** AST/SSAST waveform mix-up with lambda ~ Beta(10, 10). */
  public static MixedWaveform mixWaveforms(float[] first, float[] partner, RandomGenerator rng) {
    return mixWaveforms(first, partner, BetaSampler.sample(10, 10, rng));
  }

  /** AST/SSAST waveform mix-up with a given lambda (the weight of {@code first}). */
  public static MixedWaveform mixWaveforms(float[] first, float[] partner, double lambda) {
    int n = first.length;
    double mean1 = mean(first, first.length);
    double mean2 = mean(partner, partner.length);
    double[] mixed = new double[n];
    double sum = 0;
    for (int i = 0; i < n; i++) {
      double a = first[i] - mean1;
      double b = i < partner.length ? partner[i] - mean2 : 0;
      mixed[i] = lambda * a + (1 - lambda) * b;
      sum += mixed[i];
    }
    double mixedMean = sum / n;
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = (float) (mixed[i] - mixedMean);
    }
    return new MixedWaveform(out, lambda);
  }

  /** EAT batch mix-up in place; returns the lambda used. {@code batch} is (B, T, F). */
  public static double mixBatch(float[][][] batch, double alpha, RandomGenerator rng) {
    double lambda = BetaSampler.sample(alpha, alpha, rng);
    mixBatch(batch, lambda);
    return lambda;
  }

  /** EAT batch mix-up in place with a given lambda. {@code batch} is (B, T, F). */
  public static void mixBatch(float[][][] batch, double lambda) {
    int b = batch.length;
    float[][][] original = new float[b][][];
    for (int i = 0; i < b; i++) {
      original[i] = new float[batch[i].length][];
      for (int t = 0; t < batch[i].length; t++) {
        original[i][t] = batch[i][t].clone();
      }
    }
    for (int i = 0; i < b; i++) {
      float[][] x = batch[i];
      float[][] y = original[b - 1 - i];
      for (int t = 0; t < x.length; t++) {
        for (int f = 0; f < x[t].length; f++) {
          x[t][f] = (float) (lambda * original[i][t][f] + (1 - lambda) * y[t][f]);
        }
      }
    }
  }

  /** lambda * y1 + (1 - lambda) * y2, element-wise (multi-hot or one-hot label vectors). */
  public static float[] mixLabels(float[] y1, float[] y2, double lambda) {
    if (y1.length != y2.length) {
      throw new IllegalArgumentException("label vectors differ in length: " + y1.length + " vs " + y2.length);
    }
    float[] out = new float[y1.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) (lambda * y1[i] + (1 - lambda) * y2[i]);
    }
    return out;
  }

  private static double mean(float[] x, int n) {
    double s = 0;
    for (int i = 0; i < n; i++) {
      s += x[i];
    }
    return n == 0 ? 0 : s / n;
  }
}
