package dev.earshot.pretrain.ssast;

import dev.earshot.ConfigException;
import dev.earshot.model.PatchGrid;
import dev.earshot.pretrain.ClusterMasking;

/**
 * The SSAST section of a pretraining recipe. Null fields take SSAST's published values.
 *
 * @param maskCount masked patches per clip (400 in the released models); or
 * @param maskRatio the masked share of the patches (used when maskCount is absent)
 * @param clusterMin smallest cluster side (3)
 * @param clusterMax largest cluster side (5)
 * @param generativeWeight weight of the MSE term (10)
 * @param infoNceAxis "predictions" (the released code) or "targets" (the paper's Eq. 1)
 * @param upstreamMaskingQuirks reproduce SSAST's sampler exactly (patch 0 never masked, clusters wrapping
 *     rows, smallest indices kept)
 * @param discriminative run the InfoNCE pass (default true)
 * @param generative run the MSE pass (default true)
 */
public record SsastRecipe(Integer maskCount, Double maskRatio, Integer clusterMin, Integer clusterMax,
    Double generativeWeight, String infoNceAxis, Boolean upstreamMaskingQuirks, Boolean discriminative,
    Boolean generative) {

  /** Nothing set: SSAST's published values throughout. */
  public static SsastRecipe defaults() {
    return new SsastRecipe(null, null, null, null, null, null, null, null, null);
  }

  /** The objective's configuration for a model on {@code grid}. */
  public SsastConfig toConfig(PatchGrid grid) {
    int patches = grid.numPatches();
    int count = maskCount != null ? maskCount
        : (int) Math.round((maskRatio == null ? 400.0 / 512 : maskRatio) * patches);
    boolean frames = grid.freqPatches() == 1;
    boolean quirks = Boolean.TRUE.equals(upstreamMaskingQuirks);
    ClusterMasking masking = frames ? ClusterMasking.frames(count)
        : new ClusterMasking(count, clusterMin == null ? 3 : clusterMin, clusterMax == null ? 5 : clusterMax, true,
            quirks, quirks, quirks);
    SsastConfig.InfoNceAxis axis = switch (infoNceAxis == null ? "predictions" : infoNceAxis) {
      case "predictions" -> SsastConfig.InfoNceAxis.OVER_PREDICTIONS;
      case "targets" -> SsastConfig.InfoNceAxis.OVER_TARGETS;
      default -> throw new ConfigException("ssast.infoNceAxis: 'predictions' or 'targets', got '" + infoNceAxis + "'");
    };
    return new SsastConfig(masking, generativeWeight == null ? 10 : generativeWeight,
        discriminative == null || discriminative, generative == null || generative, axis);
  }
}
