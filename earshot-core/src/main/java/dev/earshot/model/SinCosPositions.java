package dev.earshot.model;

/**
 * EAT's fixed 2-D sin-cos position table (MAE's {@code get_2d_sincos_pos_embed}, flexible variant), rows in
 * time-major order (row = t * W + w) for a (timePatches, freqPatches) grid.
 *
 * <p>Implementation notes. Row (h, w): the first D/2 channels encode the frequency coordinate w, the last
 * D/2 the time coordinate h; each half is [sin(p omega_k), cos(p omega_k)] with omega_k = 10000^(-k/(D/4)),
 * k = 0 .. D/4 - 1. Evaluated in float32 arithmetic, as NumPy computes the published table (float32 grid
 * and frequencies), so a regenerated table equals a checkpoint's stored one to float rounding.
 */
public final class SinCosPositions {
  private SinCosPositions() {}

  /** The table as (timePatches * freqPatches, dim) values, C order. */
  public static float[] table(int timePatches, int freqPatches, int dim) {
    if (dim % 4 != 0) {
      throw new IllegalArgumentException("dim must be divisible by 4, got " + dim);
    }
    int quarter = dim / 4;
    float[] omega = new float[quarter];
    for (int k = 0; k < quarter; k++) {
      float exponent = k / (float) quarter;
      omega[k] = 1.0f / (float) Math.pow(10000.0, exponent);
    }
    float[] out = new float[timePatches * freqPatches * dim];
    for (int h = 0; h < timePatches; h++) {
      for (int w = 0; w < freqPatches; w++) {
        int row = (h * freqPatches + w) * dim;
        for (int k = 0; k < quarter; k++) {
          float pw = w * omega[k];
          float ph = h * omega[k];
          out[row + k] = (float) Math.sin(pw);
          out[row + quarter + k] = (float) Math.cos(pw);
          out[row + 2 * quarter + k] = (float) Math.sin(ph);
          out[row + 3 * quarter + k] = (float) Math.cos(ph);
        }
      }
    }
    return out;
  }
}
