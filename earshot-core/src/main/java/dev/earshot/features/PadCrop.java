package dev.earshot.features;

/**
 * Brings a (frames, bins) feature matrix to a fixed number of frames the way every AST-family data loader
 * does: rows of 0.0 appended at the end (before normalisation, so they are "log energy 0"), or the first
 * {@code targetFrames} rows kept.
 */
public final class PadCrop {
  private PadCrop() {}

  /**
   * @param features (frames, bins)
   * @param targetFrames the wanted number of frames, at least 1
   * @return (targetFrames, bins); the input itself when it already has that length, else a new array
   */
  public static float[][] apply(float[][] features, int targetFrames) {
    if (targetFrames < 1) {
      throw new IllegalArgumentException("targetFrames must be >= 1, got " + targetFrames);
    }
    if (features.length == targetFrames) {
      return features;
    }
    int bins = features.length == 0 ? 0 : features[0].length;
    float[][] out = new float[targetFrames][];
    for (int t = 0; t < targetFrames; t++) {
      out[t] = t < features.length ? features[t] : new float[bins];
    }
    return out;
  }
}
