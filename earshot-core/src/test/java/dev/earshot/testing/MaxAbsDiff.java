package dev.earshot.testing;

/** Largest absolute difference between arrays of equal shape, failing loudly on shape mismatch. */
public final class MaxAbsDiff {
  private MaxAbsDiff() {}

  public static double of(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new AssertionError("length " + a.length + " vs " + b.length);
    }
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      double d = Math.abs((double) a[i] - b[i]);
      if (!(d <= max)) {
        max = Double.isNaN(d) ? Double.POSITIVE_INFINITY : d;
      }
    }
    return max;
  }

  public static double of(float[][] a, float[][] b) {
    if (a.length != b.length) {
      throw new AssertionError("rows " + a.length + " vs " + b.length);
    }
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, of(a[i], b[i]));
    }
    return max;
  }
}
