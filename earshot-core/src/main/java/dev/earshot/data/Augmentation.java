package dev.earshot.data;

import dev.earshot.features.SpecAugment;

/**
 * Per-example training augmentation, as the recipes of the four methods combine them.
 *
 * @param specAugment frequency/time masking, or null
 * @param specAugmentBeforeNormalization SSAST/AST mask the raw log-mel (masked cells become +0.467 after
 *     AudioSet normalisation); EAT masks after normalisation (masked cells are 0)
 * @param waveformMixup probability of AST's waveform mix-up with a random partner (lambda ~ Beta(10, 10))
 * @param noise AST's noise augmentation: add U(0,1) * U(0,1)/10 noise after normalisation, then roll the
 *     time axis by an integer in [-10, 9]
 */
public record Augmentation(SpecAugment specAugment, boolean specAugmentBeforeNormalization, double waveformMixup,
    boolean noise) {
  /** No augmentation. */
  public static final Augmentation NONE = new Augmentation(null, true, 0, false);

  public boolean isNone() {
    return specAugment == null && waveformMixup == 0 && !noise;
  }
}
