package dev.earshot.features;

import static dev.earshot.ConfigException.require;

import java.util.random.RandomGenerator;

/**
 * Frequency and time masking with the semantics of torchaudio's {@code FrequencyMasking} and
 * {@code TimeMasking}: for a mask parameter p on an axis of size n, draw u, v ~ U(0, 1), let
 * width = u * p and start = v * (n - width); the cells [floor(start), floor(start) + floor(width)) are set to
 * {@code maskValue}. The parameter may be fractional (EAT uses 25.6 and 204.8). A parameter below 1
 * disables that mask.
 *
 * <p>Applied to one example at a time, so every example of a batch gets independent masks (torchaudio's
 * {@code iid_masks=True}). Where it sits in the pipeline matters: SSAST/AST mask before normalisation (the
 * masked value becomes +0.467 after AudioSet normalisation), EAT after (masked value 0).
 *
 * @param freqMaskParam maximum frequency mask width in bins
 * @param timeMaskParam maximum time mask width in frames
 * @param numFreqMasks frequency masks per example
 * @param numTimeMasks time masks per example
 * @param maskValue value written into masked cells
 */
public record SpecAugment(
    double freqMaskParam, double timeMaskParam, int numFreqMasks, int numTimeMasks, float maskValue) {

  public SpecAugment {
    require(freqMaskParam >= 0, "freqMaskParam", "must be >= 0, got " + freqMaskParam);
    require(timeMaskParam >= 0, "timeMaskParam", "must be >= 0, got " + timeMaskParam);
    require(numFreqMasks >= 0, "numFreqMasks", "must be >= 0, got " + numFreqMasks);
    require(numTimeMasks >= 0, "numTimeMasks", "must be >= 0, got " + numTimeMasks);
  }

  /** One frequency and one time mask filled with 0, as SSAST, AST and EAT use it. */
  public SpecAugment(double freqMaskParam, double timeMaskParam) {
    this(freqMaskParam, timeMaskParam, 1, 1, 0f);
  }

  /**
   * Masks {@code features} (frames, bins) in place and returns it.
   *
   * @param rng the seeded generator of the caller (data loaders derive one per example)
   */
  public float[][] applyInPlace(float[][] features, RandomGenerator rng) {
    int frames = features.length;
    int bins = frames == 0 ? 0 : features[0].length;
    for (int m = 0; m < numFreqMasks; m++) {
      int[] range = drawRange(freqMaskParam, bins, rng);
      for (float[] row : features) {
        for (int j = range[0]; j < range[1]; j++) {
          row[j] = maskValue;
        }
      }
    }
    for (int m = 0; m < numTimeMasks; m++) {
      int[] range = drawRange(timeMaskParam, frames, rng);
      for (int t = range[0]; t < range[1]; t++) {
        java.util.Arrays.fill(features[t], maskValue);
      }
    }
    return features;
  }

  /**
   * [start, end) of one mask on an axis of {@code size}; empty when the parameter is below 1. Evaluated in
   * float32 like torchaudio: width = u * p, start = v * (size - width), both truncated toward zero.
   */
  static int[] drawRange(double maskParam, int size, RandomGenerator rng) {
    if (maskParam < 1 || size == 0) {
      return new int[] {0, 0};
    }
    float width = rng.nextFloat() * (float) maskParam;
    float start = rng.nextFloat() * (size - width);
    int from = (int) start; // negative when the parameter exceeds the axis; torchaudio keeps the overlap
    int to = Math.min(size, from + (int) width);
    return new int[] {Math.max(0, from), Math.max(0, to)};
  }
}
