package dev.earshot.pretrain;

import dev.earshot.model.PatchGrid;
import dev.earshot.model.TokenOrder;

/**
 * The raw spectrogram values of patches, as SSAST's {@code nn.Unfold} lays them out: for patch (f', t') of the
 * (F, T) image, value (i, j) = x[t' sT + j][f' sF + i], flattened as i * patchFrames + j (frequency rows,
 * time columns). No per-patch normalisation.
 */
public final class PatchTargets {
  private PatchTargets() {}

  /**
   * @param features (B, T, F) model inputs
   * @param mask the masked token indices
   * @return (B, M, patchBins * patchFrames) in C order
   */
  public static float[] of(float[][][] features, Mask mask, PatchGrid grid) {
    int b = features.length;
    int frames = features[0].length;
    int tp = grid.timePatches(frames);
    int fp = grid.freqPatches();
    int m = mask.count();
    int size = grid.patchBins() * grid.patchFrames();
    float[] out = new float[b * m * size];
    for (int e = 0; e < b; e++) {
      for (int k = 0; k < m; k++) {
        int token = mask.indices()[e][k];
        int fIdx = grid.order() == TokenOrder.FREQUENCY_MAJOR ? token / tp : token % fp;
        int tIdx = grid.order() == TokenOrder.FREQUENCY_MAJOR ? token % tp : token / fp;
        int base = (e * m + k) * size;
        for (int i = 0; i < grid.patchBins(); i++) {
          for (int j = 0; j < grid.patchFrames(); j++) {
            out[base + i * grid.patchFrames() + j] =
                features[e][tIdx * grid.strideFrames() + j][fIdx * grid.strideBins() + i];
          }
        }
      }
    }
    return out;
  }
}
