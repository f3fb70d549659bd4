package dev.earshot.model;

/**
 * Adapts a learned frequency-major position table to another patch grid the way SSAST and AST do when a
 * checkpoint is fine-tuned on a different input length or stride.
 *
 * <p>Implementation notes. The patch rows of {@code pos_embed} are viewed as an image (D, Fp, Tp).
 * Time first: fewer time patches take the centre columns [Tp/2 - T/2, Tp/2 - T/2 + T); more are
 * bilinearly resized to (Fp, T). Then frequency: fewer rows take the centre rows [Fp/2 - F/2, ... + F);
 * otherwise a bilinear resize to (F, T). Bilinear is PyTorch's with {@code align_corners=False}:
 * source = (i + 0.5) * in / out - 0.5, clamped at 0, neighbours clamped at the edge. The special-token
 * rows are kept unchanged in front.
 *
 * <p>Upstream differences, deliberately not reproduced: SSAST resizes time to (8, T) with a hard-coded 8
 * instead of Fp (identical whenever Fp is 8, as with 16x16 patches on 128 bins, or 1, as with frame
 * patches, whose rows are copies), and its frequency cut slices {@code + t_dim} rows where {@code + f_dim}
 * is meant (a crash upstream, reached only when F &lt; Fp).
 */
public final class PositionAdaptation {
  private PositionAdaptation() {}

  /**
   * @param table (specialTokens + Fp * Tp, D) values, C order
   * @return (specialTokens + F * T, D) values
   */
  public static float[] adapt(float[] table, int dim, int specialTokens, int fromFreq, int fromTime,
      int toFreq, int toTime) {
    int expected = (specialTokens + fromFreq * fromTime) * dim;
    if (table.length != expected) {
      throw new IllegalArgumentException(
          "position table has " + table.length + " values, expected " + expected + " for " + specialTokens
              + " + " + fromFreq + " x " + fromTime + " tokens of width " + dim);
    }
    // image[c][f][t]
    double[][][] image = new double[dim][fromFreq][fromTime];
    for (int f = 0; f < fromFreq; f++) {
      for (int t = 0; t < fromTime; t++) {
        int row = (specialTokens + f * fromTime + t) * dim;
        for (int c = 0; c < dim; c++) {
          image[c][f][t] = table[row + c];
        }
      }
    }
    double[][][] timed = toTime < fromTime ? cropTime(image, toTime) : resize(image, fromFreq, toTime);
    double[][][] adapted = toFreq < fromFreq ? cropFreq(timed, toFreq) : resize(timed, toFreq, toTime);
    float[] out = new float[(specialTokens + toFreq * toTime) * dim];
    System.arraycopy(table, 0, out, 0, specialTokens * dim);
    for (int f = 0; f < toFreq; f++) {
      for (int t = 0; t < toTime; t++) {
        int row = (specialTokens + f * toTime + t) * dim;
        for (int c = 0; c < dim; c++) {
          out[row + c] = (float) adapted[c][f][t];
        }
      }
    }
    return out;
  }

  /**
   * The same adaptation for a time-major table (rows t * F + f, as ViT/ASiT order 16x16 patches): the rows
   * are reordered frequency-major, adapted, and reordered back.
   */
  public static float[] adaptTimeMajor(float[] table, int dim, int specialTokens, int fromFreq, int fromTime,
      int toFreq, int toTime) {
    float[] frequencyMajor = reorder(table, dim, specialTokens, fromFreq, fromTime, true);
    float[] adapted = adapt(frequencyMajor, dim, specialTokens, fromFreq, fromTime, toFreq, toTime);
    return reorder(adapted, dim, specialTokens, toFreq, toTime, false);
  }

  /** Time-major to frequency-major rows ({@code toFrequencyMajor}) or back. */
  private static float[] reorder(float[] table, int dim, int specialTokens, int freq, int time,
      boolean toFrequencyMajor) {
    float[] out = table.clone();
    for (int f = 0; f < freq; f++) {
      for (int t = 0; t < time; t++) {
        int timeMajor = specialTokens + t * freq + f;
        int freqMajor = specialTokens + f * time + t;
        int from = toFrequencyMajor ? timeMajor : freqMajor;
        int to = toFrequencyMajor ? freqMajor : timeMajor;
        System.arraycopy(table, from * dim, out, to * dim, dim);
      }
    }
    return out;
  }

  private static double[][][] cropTime(double[][][] image, int size) {
    int from = image[0][0].length;
    int start = from / 2 - size / 2;
    double[][][] out = new double[image.length][image[0].length][size];
    for (int c = 0; c < image.length; c++) {
      for (int f = 0; f < image[0].length; f++) {
        System.arraycopy(image[c][f], start, out[c][f], 0, size);
      }
    }
    return out;
  }

  private static double[][][] cropFreq(double[][][] image, int size) {
    int start = image[0].length / 2 - size / 2;
    double[][][] out = new double[image.length][size][];
    for (int c = 0; c < image.length; c++) {
      for (int f = 0; f < size; f++) {
        out[c][f] = image[c][start + f].clone();
      }
    }
    return out;
  }

  /** Bilinear resize of every channel to (outH, outW), align_corners=False. */
  static double[][][] resize(double[][][] image, int outH, int outW) {
    int inH = image[0].length;
    int inW = image[0][0].length;
    int[] h0 = new int[outH];
    int[] h1 = new int[outH];
    double[] hl = new double[outH];
    coordinates(inH, outH, h0, h1, hl);
    int[] w0 = new int[outW];
    int[] w1 = new int[outW];
    double[] wl = new double[outW];
    coordinates(inW, outW, w0, w1, wl);
    double[][][] out = new double[image.length][outH][outW];
    for (int c = 0; c < image.length; c++) {
      double[][] src = image[c];
      for (int y = 0; y < outH; y++) {
        for (int x = 0; x < outW; x++) {
          double top = (1 - wl[x]) * src[h0[y]][w0[x]] + wl[x] * src[h0[y]][w1[x]];
          double bottom = (1 - wl[x]) * src[h1[y]][w0[x]] + wl[x] * src[h1[y]][w1[x]];
          out[c][y][x] = (1 - hl[y]) * top + hl[y] * bottom;
        }
      }
    }
    return out;
  }

  private static void coordinates(int in, int out, int[] lo, int[] hi, double[] frac) {
    double scale = (double) in / out;
    for (int i = 0; i < out; i++) {
      double src = Math.max(0, (i + 0.5) * scale - 0.5);
      int i0 = Math.min((int) src, in - 1);
      lo[i] = i0;
      hi[i] = Math.min(i0 + 1, in - 1);
      frac[i] = src - i0;
    }
  }
}
