package dev.earshot.audio.synth;

/** Speed changes of synthetic sounds (pitch and length together), by linear interpolation. */
final class Resampling {
  private Resampling() {}

  /** {@code x} played {@code factor} times faster (factor > 1: higher and shorter). */
  static float[] speed(float[] x, double factor) {
    int n = (int) Math.floor((x.length - 1) / factor) + 1;
    float[] out = new float[Math.max(0, n)];
    for (int i = 0; i < out.length; i++) {
      double pos = i * factor;
      int j = (int) pos;
      double frac = pos - j;
      float a = x[Math.min(j, x.length - 1)];
      float b = x[Math.min(j + 1, x.length - 1)];
      out[i] = (float) (a + (b - a) * frac);
    }
    return out;
  }
}
