package dev.earshot.eval;

import static dev.earshot.ConfigException.require;

import dev.earshot.data.Augmentation;

/**
 * A supervised recipe: fine-tuning (all weights) or linear probing (head only).
 *
 * @param epochs passes over the training set (fractional allowed)
 * @param batchSize clips per update
 * @param peakLr learning rate after warm-up
 * @param warmupFraction share of the updates spent warming up linearly
 * @param finalLr rate at the end of the cosine decay
 * @param weightDecay AdamW decay (not on biases, norms, tokens, positions)
 * @param layerDecay layer-wise LR decay (1 = none; EAT uses 0.65 on the blocks)
 * @param labelSmoothing for single-label cross-entropy
 * @param clipNorm global gradient-norm limit (0 = none)
 * @param augmentation training augmentation
 * @param linearProbe train only the head, encoder frozen
 * @param seed data order, augmentation and drop-path
 */
public record FineTuneConfig(double epochs, int batchSize, double peakLr, double warmupFraction, double finalLr,
    double weightDecay, double layerDecay, double labelSmoothing, double clipNorm, Augmentation augmentation,
    boolean linearProbe, long seed) {

  public FineTuneConfig {
    require(epochs > 0, "epochs", "must be positive");
    require(batchSize >= 1, "batchSize", "must be >= 1");
    require(peakLr > 0, "lr", "must be positive");
    require(warmupFraction >= 0 && warmupFraction < 1, "warmup", "must be in [0, 1)");
    require(layerDecay > 0 && layerDecay <= 1, "layerDecay", "must be in (0, 1]");
    require(labelSmoothing >= 0 && labelSmoothing < 1, "labelSmoothing", "must be in [0, 1)");
    augmentation = augmentation == null ? Augmentation.NONE : augmentation;
  }

  /** Number of updates for a training set of {@code clips}. */
  public long steps(int clips) {
    return Math.max(1, (long) Math.ceil(epochs * clips / batchSize));
  }
}
