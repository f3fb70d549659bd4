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
 * @param rollMagnitude EAT's roll-mag: roll the waveform circularly by a uniform offset and scale it by
 *     Beta(10, 10) + 0.5, before the filterbank
 * @param batchMixupAlpha EAT's spectrogram mix-up: with probability {@code batchMixupProb} the whole batch is
 *     mixed with its reverse, lambda ~ Beta(alpha, alpha) (0 = off); applied by the training objective
 * @param batchMixupProb probability that a batch is mixed
 * @param randomCrop a clip longer than the input gives a window at a random position (uniform over the frames it
 *     can start at), not its first frames
 */
public record Augmentation(SpecAugment specAugment, boolean specAugmentBeforeNormalization, double waveformMixup,
    boolean noise, boolean rollMagnitude, double batchMixupAlpha, double batchMixupProb, boolean randomCrop) {
  /** No augmentation. */
  public static final Augmentation NONE = new Augmentation(null, true, 0, false, false, 0, 0, false);
  /** No augmentation but random windows of long clips (what pretraining uses by default). */
  public static final Augmentation RANDOM_CROP = new Augmentation(null, true, 0, false, false, 0, 0, true);

  /** True when no per-clip augmentation applies (batch mix-up is not per clip). */
  public boolean isNone() {
    return specAugment == null && waveformMixup == 0 && !noise && !rollMagnitude && !randomCrop;
  }
}
