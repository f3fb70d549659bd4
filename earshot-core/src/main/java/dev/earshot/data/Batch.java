package dev.earshot.data;

import java.util.List;

/**
 * A batch on the host, ready to become tensors.
 *
 * @param features (B, T, F) normalised model inputs
 * @param targets (B, C) class targets (one-hot, multi-hot or mixed), or (B, 0) for unlabelled data
 * @param clips the clips in batch order (for reports)
 * @param step the training step this batch belongs to
 */
public record Batch(float[][][] features, float[][] targets, List<Clip> clips, long step) {
  public int size() {
    return features.length;
  }

  /** Features flattened in C order. */
  public float[] flatFeatures() {
    int b = features.length;
    int t = features[0].length;
    int f = features[0][0].length;
    float[] out = new float[b * t * f];
    for (int i = 0; i < b; i++) {
      for (int j = 0; j < t; j++) {
        System.arraycopy(features[i][j], 0, out, (i * t + j) * f, f);
      }
    }
    return out;
  }

  /** Targets flattened in C order. */
  public float[] flatTargets() {
    int c = targets.length == 0 ? 0 : targets[0].length;
    float[] out = new float[targets.length * c];
    for (int i = 0; i < targets.length; i++) {
      System.arraycopy(targets[i], 0, out, i * c, c);
    }
    return out;
  }
}
