package dev.earshot.audio;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Band-limited resampling between integer rates, numerically equal to {@code torchaudio.functional.resample}
 * (torchaudio 0.13) for the same arguments.
 *
 * <p>Implementation notes. With g = gcd(orig, new), o = orig/g and n = new/g, base = min(o, n) * rolloff and
 * width = ceil(lowpassFilterWidth * o / base). Output phase i (0 &le; i &lt; n) uses the kernel
 * <pre>
 *   t_k   = clamp((k - width)/o - i/n) * base, -w, w)        k = 0 .. 2*width + o - 1
 *   h_i,k = sinc(pi t_k) * window(t_k) * base / o
 *   window = cos(pi t / (2 w))^2                              (Hann, the default)
 *          | I0(beta sqrt(1 - (t/w)^2)) / I0(beta)             (Kaiser)
 * </pre>
 * The input is zero-padded by {@code width} on the left and {@code width + o} on the right; output sample
 * m*n + i is the dot product of h_i with the padded input starting at m*o, and the result is cut to
 * ceil(n * length / o) samples. Kernels are built in double precision and sums accumulate in double
 * (torchaudio uses float32 throughout, so the two differ by float rounding only, about 1e-7).
 *
 * <p>Instances are immutable and thread-safe; {@link #of(int, int)} caches them per rate pair.
 */
public final class Resampler {
  /** torchaudio's default Kaiser beta. */
  public static final double DEFAULT_KAISER_BETA = 14.769656459379492;

  /** The window applied to the sinc kernel. */
  public enum Window {
    /** Squared cosine ("sinc_interpolation" in torchaudio). */
    HANN,
    /** Kaiser window ("kaiser_window" in torchaudio). */
    KAISER
  }

  private static final Map<Long, Resampler> DEFAULTS = new ConcurrentHashMap<>();

  private final int originalRateHz;
  private final int targetRateHz;
  private final int reducedOriginal;
  private final int reducedTarget;
  private final int width;
  private final double[][] kernels; // (reducedTarget, 2*width + reducedOriginal)

  /**
   * A resampler with explicit filter settings.
   *
   * @param originalRateHz input rate
   * @param targetRateHz output rate
   * @param lowpassFilterWidth zero crossings of the sinc kept on each side (torchaudio default 6)
   * @param rolloff cut-off as a fraction of the lower Nyquist rate (torchaudio default 0.99)
   * @param window kernel window
   * @param kaiserBeta Kaiser shape parameter (ignored for {@link Window#HANN})
   */
  public Resampler(
      int originalRateHz, int targetRateHz, int lowpassFilterWidth, double rolloff, Window window, double kaiserBeta) {
    if (originalRateHz <= 0 || targetRateHz <= 0) {
      throw new IllegalArgumentException(
          "sample rates must be positive, got " + originalRateHz + " and " + targetRateHz);
    }
    if (lowpassFilterWidth <= 0) {
      throw new IllegalArgumentException("lowpassFilterWidth must be positive, got " + lowpassFilterWidth);
    }
    if (!(rolloff > 0 && rolloff <= 1)) {
      throw new IllegalArgumentException("rolloff must be in (0, 1], got " + rolloff);
    }
    this.originalRateHz = originalRateHz;
    this.targetRateHz = targetRateHz;
    int gcd = gcd(originalRateHz, targetRateHz);
    this.reducedOriginal = originalRateHz / gcd;
    this.reducedTarget = targetRateHz / gcd;
    double base = Math.min(reducedOriginal, reducedTarget) * rolloff;
    this.width = (int) Math.ceil(lowpassFilterWidth * reducedOriginal / base);
    int taps = 2 * width + reducedOriginal;
    this.kernels = new double[reducedTarget][taps];
    double scale = base / reducedOriginal;
    double i0Beta = window == Window.KAISER ? besselI0(kaiserBeta) : 1;
    for (int phase = 0; phase < reducedTarget; phase++) {
      for (int k = 0; k < taps; k++) {
        double t = ((double) (k - width) / reducedOriginal - (double) phase / reducedTarget) * base;
        t = Math.max(-lowpassFilterWidth, Math.min(lowpassFilterWidth, t));
        double w;
        if (window == Window.HANN) {
          double c = Math.cos(t * Math.PI / lowpassFilterWidth / 2);
          w = c * c;
        } else {
          double r = t / lowpassFilterWidth;
          w = besselI0(kaiserBeta * Math.sqrt(1 - r * r)) / i0Beta;
        }
        double x = t * Math.PI;
        double sinc = x == 0 ? 1 : Math.sin(x) / x;
        kernels[phase][k] = sinc * w * scale;
      }
    }
  }

  /** The torchaudio-default resampler (Hann window, width 6, rolloff 0.99), cached per rate pair. */
  public static Resampler of(int originalRateHz, int targetRateHz) {
    long key = ((long) originalRateHz << 32) | (targetRateHz & 0xFFFFFFFFL);
    return DEFAULTS.computeIfAbsent(
        key, k -> new Resampler(originalRateHz, targetRateHz, 6, 0.99, Window.HANN, DEFAULT_KAISER_BETA));
  }

  public int originalRateHz() {
    return originalRateHz;
  }

  public int targetRateHz() {
    return targetRateHz;
  }

  /** Input samples the kernel of a block reaches before it (and beyond the block's end): what chunked callers keep. */
  int kernelWidth() {
    return width;
  }

  /** Output length for an input of {@code length} samples: ceil(new * length / orig) in reduced terms. */
  public int outputLength(int length) {
    return (int) ((reducedTarget * (long) length + reducedOriginal - 1) / reducedOriginal);
  }

  /** Resamples {@code input}; returns the same array when the rates are equal. */
  public float[] apply(float[] input) {
    if (originalRateHz == targetRateHz) {
      return input;
    }
    int length = input.length;
    int outLength = outputLength(length);
    float[] out = new float[outLength];
    int taps = 2 * width + reducedOriginal;
    for (int j = 0; j < outLength; j++) {
      int block = j / reducedTarget;
      int phase = j - block * reducedTarget;
      double[] h = kernels[phase];
      // Padded index p = block*o + k maps to input index p - width.
      int first = block * reducedOriginal - width;
      int kStart = Math.max(0, -first);
      int kEnd = Math.min(taps, length - first);
      double acc = 0;
      for (int k = kStart; k < kEnd; k++) {
        acc += h[k] * input[first + k];
      }
      out[j] = (float) acc;
    }
    return out;
  }

  /** Resamples a waveform to this resampler's target rate. */
  public Waveform apply(Waveform waveform) {
    if (waveform.sampleRateHz() != originalRateHz) {
      throw new IllegalArgumentException(
          "this resampler converts from " + originalRateHz + " Hz, got " + waveform.sampleRateHz() + " Hz");
    }
    return new Waveform(apply(waveform.samples()), targetRateHz);
  }

  static int gcd(int a, int b) {
    while (b != 0) {
      int t = a % b;
      a = b;
      b = t;
    }
    return a;
  }

  /** Modified Bessel function of the first kind, order 0, by its power series (converges for all x). */
  static double besselI0(double x) {
    double sum = 1;
    double term = 1;
    double q = x * x / 4;
    for (int k = 1; k < 500; k++) {
      term *= q / ((double) k * k);
      sum += term;
      if (term < sum * 1e-17) {
        break;
      }
    }
    return sum;
  }
}
