package dev.earshot.pretrain.ssmast;

/**
 * The SS-MAST section of a pretraining recipe. Null fields take LAPE's values (queue 65,536, temperature
 * 0.07, momentum 0.999, projection 256) and earshot's patch-drop default (0.3; the paper's value is not known).
 *
 * @param cropFrames frames of each view (default: the recipe's frames, i.e. views are whole clips shifted
 *     only when clips are longer)
 * @param projectionDim projection width (256)
 * @param queueSize negatives in the queue (65,536)
 * @param temperature (0.07)
 * @param momentum teacher EMA momentum (0.999)
 * @param patchDrop share of the student's stem tokens zeroed (0.3)
 */
public record SsmastRecipe(Integer cropFrames, Integer projectionDim, Integer queueSize, Double temperature,
    Double momentum, Double patchDrop) {

  public static SsmastRecipe defaults() {
    return new SsmastRecipe(null, null, null, null, null, null);
  }

  public int cropFramesOr(int frames) {
    return cropFrames == null ? frames : cropFrames;
  }

  public SsmastConfig toConfig(int frames) {
    return new SsmastConfig(cropFramesOr(frames), projectionDim == null ? 256 : projectionDim,
        queueSize == null ? 65536 : queueSize, temperature == null ? 0.07 : temperature,
        momentum == null ? 0.999 : momentum, patchDrop == null ? 0.3 : patchDrop);
  }
}
