package dev.earshot.features;

/**
 * Natural logarithm of positive normal doubles, about twice as fast as {@link Math#log} and within 1e-14 of
 * it (absolute), used for the 128 logs of every filterbank frame.
 *
 * <p>Implementation notes. x = 2^e m with m in [1, 2); a 256-entry table splits m = c_j (1 + r) with
 * c_j = 1 + (j + 1/2)/256 and |r| &lt; 2^-9, so log x = e ln 2 + log c_j + log1p(r), the last by its Taylor
 * series to r^6 (truncation error below 1e-20).
 */
final class FastLog {
  private static final double LN2 = 0.6931471805599453;
  private static final double[] INVERSE = new double[256];
  private static final double[] LOG_CENTER = new double[256];

  static {
    for (int i = 0; i < 256; i++) {
      double c = 1 + (i + 0.5) / 256;
      INVERSE[i] = 1 / c;
      LOG_CENTER[i] = Math.log(c);
    }
  }

  private FastLog() {}

  /** log(x) for a positive, finite, normal x (callers floor their input at float epsilon). */
  static double log(double x) {
    long bits = Double.doubleToRawLongBits(x);
    int exponent = (int) (bits >>> 52) - 1023;
    long mantissa = bits & 0xFFFFFFFFFFFFFL;
    int index = (int) (mantissa >>> 44);
    double m = Double.longBitsToDouble(mantissa | 0x3FF0000000000000L);
    double r = m * INVERSE[index] - 1;
    double series = r - r * r * (0.5 - r * (1 / 3.0 - r * (0.25 - r * (0.2 - r * (1 / 6.0)))));
    return exponent * LN2 + LOG_CENTER[index] + series;
  }
}
