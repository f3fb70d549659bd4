package dev.earshot.recipe;

import dev.earshot.data.Augmentation;
import dev.earshot.eval.FineTuneConfig;
import dev.earshot.features.SpecAugment;
import dev.earshot.model.Pooling;

/**
 * A fine-tuning (or linear-probing) recipe. Null fields take the defaults given here.
 *
 * @param frames input length (default: the initial model's)
 * @param stride patch stride in time (and in frequency for 2-D patches); default: the model's
 * @param normalization preset, "auto", "MEAN,STD", or "model" (the initial model's constants; default)
 * @param epochs passes over the training split (default 30)
 * @param batchSize clips per update (default 32)
 * @param lr peak learning rate (default 1e-4)
 * @param warmupFraction share of updates warming up (default 0.05)
 * @param finalLr rate at the end of the cosine (default lr / 100)
 * @param weightDecay AdamW decay (default 0.01)
 * @param layerDecay layer-wise LR decay on the blocks (default 1 = none; EAT uses 0.65)
 * @param labelSmoothing single-label cross-entropy smoothing (default 0)
 * @param clipNorm global gradient-norm limit (default 0 = none)
 * @param freqMask SpecAugment frequency mask parameter (default 0 = off)
 * @param timeMask SpecAugment time mask parameter (default 0 = off)
 * @param specAugmentBeforeNormalization SSAST/AST order (default true); false for EAT's
 * @param mixup probability of AST's waveform mix-up (default 0)
 * @param noise AST's noise + roll (default false)
 * @param rollMagnitude EAT's waveform roll + Beta gain (default false)
 * @param spectrogramMixup EAT's batch mix-up alpha (default 0 = off; EAT 0.8)
 * @param spectrogramMixupProb probability a batch is mixed (default 1; EAT 0.9)
 * @param dropPath stochastic depth, rising linearly over the blocks to this rate (default: the model's; EAT 0.1)
 * @param pooling mean, cls or cls-dist (default: the initial model's)
 * @param seed data order, augmentation, head initialisation (default 0)
 * @param linearProbe train only the head (default false)
 * @param workers data-loading threads (default 2)
 */
public record FineTuneRecipe(Integer frames, Integer stride, String normalization, Double epochs, Integer batchSize,
    Double lr, Double warmupFraction, Double finalLr, Double weightDecay, Double layerDecay, Double labelSmoothing,
    Double clipNorm, Double freqMask, Double timeMask, Boolean specAugmentBeforeNormalization, Double mixup,
    Boolean noise, String pooling, Long seed, Boolean linearProbe, Integer workers, Boolean rollMagnitude,
    Double spectrogramMixup, Double spectrogramMixupProb, Double dropPath) {

  public FineTuneRecipe {
    RecipeRanges.atLeast("frames", frames, 1);
    RecipeRanges.atLeast("stride", stride, 1);
    RecipeRanges.positive("epochs", epochs);
    RecipeRanges.atLeast("batchSize", batchSize, 1);
    RecipeRanges.positive("lr", lr);
    RecipeRanges.fraction("warmupFraction", warmupFraction, true);
    RecipeRanges.atLeast("finalLr", finalLr, 0);
    RecipeRanges.atLeast("weightDecay", weightDecay, 0);
    RecipeRanges.positive("layerDecay", layerDecay);
    RecipeRanges.fraction("layerDecay", layerDecay, false);
    RecipeRanges.fraction("labelSmoothing", labelSmoothing, true);
    RecipeRanges.atLeast("clipNorm", clipNorm, 0);
    RecipeRanges.atLeast("freqMask", freqMask, 0);
    RecipeRanges.atLeast("timeMask", timeMask, 0);
    RecipeRanges.fraction("mixup", mixup, false);
    RecipeRanges.atLeast("workers", workers, 0);
    RecipeRanges.atLeast("spectrogramMixup", spectrogramMixup, 0);
    RecipeRanges.fraction("spectrogramMixupProb", spectrogramMixupProb, false);
    RecipeRanges.fraction("dropPath", dropPath, true);
  }

  public long seedOrDefault() {
    return seed == null ? 0 : seed;
  }

  /** The trainer-level configuration. */
  public FineTuneConfig toConfig() {
    double peak = lr == null ? 1e-4 : lr;
    double fm = freqMask == null ? 0 : freqMask;
    double tm = timeMask == null ? 0 : timeMask;
    Augmentation aug = new Augmentation(fm > 0 || tm > 0 ? new SpecAugment(fm, tm) : null,
        specAugmentBeforeNormalization == null || specAugmentBeforeNormalization, mixup == null ? 0 : mixup,
        noise != null && noise, rollMagnitude != null && rollMagnitude,
        spectrogramMixup == null ? 0 : spectrogramMixup, spectrogramMixupProb == null ? 1 : spectrogramMixupProb,
        false);
    return new FineTuneConfig(epochs == null ? 30 : epochs, batchSize == null ? 32 : batchSize, peak,
        warmupFraction == null ? 0.05 : warmupFraction, finalLr == null ? peak / 100 : finalLr,
        weightDecay == null ? 0.01 : weightDecay, layerDecay == null ? 1 : layerDecay,
        labelSmoothing == null ? 0 : labelSmoothing, clipNorm == null ? 0 : clipNorm, aug,
        linearProbe != null && linearProbe, seedOrDefault());
  }

  /** The pooling rule, or null to keep the model's. */
  public Pooling poolingOrNull() {
    if (pooling == null) {
      return null;
    }
    return Pooling.parse(pooling);
  }
}
