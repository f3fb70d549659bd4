package dev.earshot.pretrain.eat;

import dev.earshot.ConfigException;
import dev.earshot.pretrain.InverseBlockMasking;
import dev.earshot.train.EmaSchedule;

/**
 * The EAT section of a pretraining recipe. Null fields take EAT-base's published values
 * ({@code pretraining_AS2M.yaml}).
 *
 * @param maskFraction share of patches masked per clone (0.8)
 * @param maskAdjust added to the keep share when counting block centres (0.07)
 * @param maskBlock side of the kept blocks in patches (5)
 * @param clones masked copies per clip (16)
 * @param decoderLayers conv blocks of the decoder (6)
 * @param decoderKernel decoder kernel (3)
 * @param decoderGroups decoder channel groups (16)
 * @param maskNoiseStd noise of the decoder's masked tokens (0.01)
 * @param emaStart teacher decay at the start (0.9998)
 * @param emaEnd final teacher decay (0.99999)
 * @param emaAnnealSteps updates over which the decay is annealed (100,000)
 * @param utteranceWeight lambda of the utterance term (1)
 * @param utteranceReduction "sum" over clones (the released code, default) or "mean" (the paper)
 * @param averageTopLayers teacher blocks averaged into the targets (default: all)
 */
public record EatRecipe(Double maskFraction, Double maskAdjust, Integer maskBlock, Integer clones, Integer decoderLayers,
    Integer decoderKernel, Integer decoderGroups, Double maskNoiseStd, Double emaStart, Double emaEnd,
    Long emaAnnealSteps, Double utteranceWeight, String utteranceReduction, Integer averageTopLayers) {

  /** Nothing set: EAT-base throughout. */
  public static EatRecipe defaults() {
    return new EatRecipe(null, null, null, null, null, null, null, null, null, null, null, null, null, null);
  }

  /** The objective's configuration for an encoder of {@code depth} blocks. */
  public EatConfig toConfig(int depth) {
    EatConfig.UtteranceReduction reduction = switch (utteranceReduction == null ? "sum" : utteranceReduction) {
      case "sum" -> EatConfig.UtteranceReduction.SUM_OVER_CLONES;
      case "mean" -> EatConfig.UtteranceReduction.MEAN_OVER_CLONES;
      default -> throw new ConfigException(
          "eat.utteranceReduction: 'sum' (the released code) or 'mean' (the paper), got '" + utteranceReduction + "'");
    };
    return new EatConfig(new InverseBlockMasking(maskFraction == null ? 0.8 : maskFraction,
        maskAdjust == null ? 0.07 : maskAdjust, maskBlock == null ? 5 : maskBlock),
        clones == null ? 16 : clones, decoderLayers == null ? 6 : decoderLayers, decoderKernel == null ? 3 : decoderKernel,
        decoderGroups == null ? 16 : decoderGroups, maskNoiseStd == null ? 0.01 : maskNoiseStd,
        new EmaSchedule(emaStart == null ? 0.9998 : emaStart, emaEnd == null ? 0.99999 : emaEnd,
            emaAnnealSteps == null ? 100_000 : emaAnnealSteps),
        utteranceWeight == null ? 1 : utteranceWeight, reduction, averageTopLayers == null ? depth : averageTopLayers);
  }
}
