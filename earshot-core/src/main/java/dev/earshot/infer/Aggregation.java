package dev.earshot.infer;

/** How the answers of a clip's windows become the clip's answer, per dimension. */
public enum Aggregation {
  /** The mean over windows (of class probabilities, or of embeddings). */
  MEAN,
  /** The largest value over windows: "did it happen anywhere in the clip" for tags. */
  MAX;

  /** Combines {@code rows} (windows, dims) into one vector (dims). */
  public float[] apply(java.util.List<float[]> rows) {
    int d = rows.get(0).length;
    double[] acc = new double[d];
    if (this == MAX) {
      java.util.Arrays.fill(acc, Double.NEGATIVE_INFINITY);
    }
    for (float[] r : rows) {
      for (int j = 0; j < d; j++) {
        acc[j] = this == MAX ? Math.max(acc[j], r[j]) : acc[j] + r[j];
      }
    }
    float[] out = new float[d];
    for (int j = 0; j < d; j++) {
      out[j] = (float) (this == MAX ? acc[j] : acc[j] / rows.size());
    }
    return out;
  }

  /** Lower-case name as the command line and JSON write it. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
