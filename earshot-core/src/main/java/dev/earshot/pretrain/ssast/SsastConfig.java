package dev.earshot.pretrain.ssast;

import static dev.earshot.ConfigException.require;

import dev.earshot.pretrain.ClusterMasking;

/**
 * SSAST's masked spectrogram patch modelling (MSPM).
 *
 * @param masking which patches are masked and how many
 * @param generativeWeight weight of the MSE term (10 in every released model)
 * @param discriminative run the InfoNCE (masked patch classification) pass
 * @param generative run the MSE (masked patch reconstruction) pass
 * @param infoNceAxis which softmax axis the InfoNCE uses
 */
public record SsastConfig(ClusterMasking masking, double generativeWeight, boolean discriminative, boolean generative,
    InfoNceAxis infoNceAxis) {

  /**
   * The axis of SSAST's InfoNCE. S[j][k] = target_j . prediction_k within one clip.
   *
   * <p>{@link #OVER_PREDICTIONS} is what the released code computes and what the released models were
   * trained with: for each target j, a softmax over the M predictions, scored at k = j. {@link #OVER_TARGETS}
   * is the paper's Eq. (1): for each prediction k, a softmax over the targets. The maintainer confirmed the
   * mismatch and kept the code (SSAST issue #13). earshot defaults to the code's axis so that its pretraining
   * matches the published checkpoints; the paper's is a flag away.
   */
  public enum InfoNceAxis {
    OVER_PREDICTIONS,
    OVER_TARGETS
  }

  public SsastConfig {
    require(masking != null, "masking", "required");
    require(generativeWeight >= 0, "generativeWeight", "must be >= 0");
    require(discriminative || generative, "objective", "at least one of discriminative and generative");
    require(infoNceAxis != null, "infoNceAxis", "required");
  }

  /** The published joint objective: InfoNCE + 10 MSE, code's InfoNCE axis. */
  public static SsastConfig joint(ClusterMasking masking) {
    return new SsastConfig(masking, 10, true, true, InfoNceAxis.OVER_PREDICTIONS);
  }
}
