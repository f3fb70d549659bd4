package dev.earshot.pretrain.eat;

import static dev.earshot.ConfigException.require;

import dev.earshot.pretrain.InverseBlockMasking;
import dev.earshot.train.EmaSchedule;

/**
 * EAT's pretraining objective (Utterance-Frame Objective on a data2vec 2.0 student/teacher).
 *
 * @param masking inverse block masking of each clone
 * @param clones masked copies of each clip the student sees (16)
 * @param decoderLayers residual conv blocks of the decoder (base 6, large 3)
 * @param decoderKernel decoder conv kernel (base 3, large 5)
 * @param decoderGroups decoder conv groups (16)
 * @param maskNoiseStd standard deviation of the noise tokens put at masked positions before decoding (0.01)
 * @param ema the teacher's decay schedule
 * @param utteranceWeight lambda, weight of the utterance (CLS) term (1)
 * @param utteranceReduction how the utterance term is reduced over the clones
 * @param averageTopLayers teacher blocks averaged into the targets (all of them: 12 for base)
 */
public record EatConfig(InverseBlockMasking masking, int clones, int decoderLayers, int decoderKernel, int decoderGroups,
    double maskNoiseStd, EmaSchedule ema, double utteranceWeight, UtteranceReduction utteranceReduction,
    int averageTopLayers) {

  /**
   * The reduction of the utterance loss. Both sum per-clone errors ||c - u||^2 / sqrt(D); they differ in how
   * the clones are combined.
   *
   * <p>{@link #SUM_OVER_CLONES} is what the official code computes and what the released models were trained
   * with: fairseq's criterion divides every loss by the number of masked positions, and EAT multiplies the
   * utterance term by that number first, so the utterance errors are <em>summed</em> over the batch's B x K
   * clones while the frame errors are averaged over masked positions (with 4 GPUs, the sum runs over each
   * GPU's 12 x 16 clones). {@link #MEAN_OVER_CLONES} is the paper's L = L_f + lambda L_u with both terms
   * averages, which weighs the utterance term B x K times less.
   */
  public enum UtteranceReduction {
    SUM_OVER_CLONES,
    MEAN_OVER_CLONES
  }

  public EatConfig {
    require(masking != null, "masking", "required");
    require(clones >= 1, "clones", "must be >= 1");
    require(decoderLayers >= 1, "decoderLayers", "must be >= 1");
    require(decoderKernel >= 1 && decoderKernel % 2 == 1, "decoderKernel", "must be odd");
    require(decoderGroups >= 1, "decoderGroups", "must be >= 1");
    require(maskNoiseStd >= 0, "maskNoiseStd", "must be >= 0");
    require(ema != null, "ema", "required");
    require(utteranceWeight >= 0, "utteranceWeight", "must be >= 0");
    require(utteranceReduction != null, "utteranceReduction", "required");
    require(averageTopLayers >= 1, "averageTopLayers", "must be >= 1");
  }

  /** EAT-base as published ({@code pretraining_AS2M.yaml}) for an encoder of {@code depth} blocks. */
  public static EatConfig base(int depth) {
    return new EatConfig(InverseBlockMasking.eatBase(), 16, 6, 3, 16, 0.01, new EmaSchedule(0.9998, 0.99999, 100_000),
        1, UtteranceReduction.SUM_OVER_CLONES, depth);
  }
}
