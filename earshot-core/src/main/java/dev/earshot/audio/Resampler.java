package dev.earshot.audio;

import java.util.Map;
import java.util.LinkedHashMap;

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
 * <p>Memory. torchaudio materialises the whole (n, 2*width + o) kernel table, which for rates that share only a
 * small divisor (16,001 Hz to 16 kHz: n = 16,000, o = 16,001) is gigabytes. Here each phase keeps only its
 * support, the taps where |t| &lt; w (about 2 * lowpassFilterWidth * o / base + 1 of them; the clamped taps
 * outside it are below 1e-20 and are skipped), computed with exactly the formula above. When all n supports
 * together fit {@value #TABLE_LIMIT} values they are kept as a table; otherwise the output is produced phase by
 * phase, each kernel computed once into a scratch buffer of one support. Either way the memory is bounded
 * independently of the rates' divisors, and the sums are the same as with the full table. A ratio whose
 * support exceeds {@value #MAX_TAPS} taps (downsampling by more than about 680) is refused.
 *
 * <p>Instances are immutable and thread-safe; {@link #of(int, int)} keeps a small bounded cache of them.
 */
public final class Resampler {
  /** torchaudio's default Kaiser beta. */
  public static final double DEFAULT_KAISER_BETA = 14.769656459379492;
  /** Most kernel values kept as a per-instance table (512 KB). */
  static final int TABLE_LIMIT = 1 << 16;
  /** Most taps in one phase's support. */
  static final int MAX_TAPS = 8192;
  /** Rate pairs kept by {@link #of}. */
  private static final int CACHE_SIZE = 32;

  /** The window applied to the sinc kernel. */
  public enum Window {
    /** Squared cosine ("sinc_interpolation" in torchaudio). */
    HANN,
    /** Kaiser window ("kaiser_window" in torchaudio). */
    KAISER
  }

  private static final Map<Long, Resampler> DEFAULTS = new LinkedHashMap<>(CACHE_SIZE, 0.75f, true) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, Resampler> eldest) {
      return size() > CACHE_SIZE;
    }
  };

  private final int originalRateHz;
  private final int targetRateHz;
  private final int reducedOriginal;
  private final int reducedTarget;
  private final int width;
  private final int lowpassFilterWidth;
  private final double base;
  private final Window window;
  private final double kaiserBeta;
  private final double i0Beta;
  private final int maxSupport;
  /** Per phase, the first tap of its support (k index into the full kernel). */
  private final int[] supportStart;
  /** Per phase, the number of taps in its support. */
  private final int[] supportLength;
  /** Per phase, the support's taps, or null when the table would exceed {@link #TABLE_LIMIT}. */
  private final double[][] table;

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
    this.lowpassFilterWidth = lowpassFilterWidth;
    this.window = window;
    this.kaiserBeta = kaiserBeta;
    this.base = Math.min(reducedOriginal, reducedTarget) * rolloff;
    double span = lowpassFilterWidth * (double) reducedOriginal / base; // half-width of a support, in taps
    if (2 * span + 2 > MAX_TAPS) {
      throw new dev.earshot.ConfigException("resampling " + originalRateHz + " Hz to " + targetRateHz
          + " Hz needs kernels of more than " + MAX_TAPS + " taps; resample in two steps or choose closer rates");
    }
    this.width = (int) Math.ceil(lowpassFilterWidth * reducedOriginal / base);
    this.i0Beta = window == Window.KAISER ? besselI0(kaiserBeta) : 1;
    int taps = 2 * width + reducedOriginal;
    this.supportStart = new int[reducedTarget];
    this.supportLength = new int[reducedTarget];
    long total = 0;
    int longest = 0;
    for (int phase = 0; phase < reducedTarget; phase++) {
      // |t| < w  <=>  |k - centre| < span: start just outside both ends, step in to the first taps inside
      double centre = width + (double) phase * reducedOriginal / reducedTarget;
      int first = (int) Math.max(0, Math.floor(centre - span) - 1);
      while (first < taps && !(Math.abs(rawT(first, phase)) < lowpassFilterWidth)) {
        first++;
      }
      int last = (int) Math.min(taps - 1, Math.ceil(centre + span) + 1);
      while (last >= first && !(Math.abs(rawT(last, phase)) < lowpassFilterWidth)) {
        last--;
      }
      supportStart[phase] = Math.min(first, taps - 1);
      supportLength[phase] = Math.max(0, last - first + 1);
      total += supportLength[phase];
      longest = Math.max(longest, supportLength[phase]);
    }
    this.maxSupport = longest;
    if (total <= TABLE_LIMIT) {
      table = new double[reducedTarget][];
      for (int phase = 0; phase < reducedTarget; phase++) {
        table[phase] = new double[supportLength[phase]];
        kernel(phase, table[phase]);
      }
    } else {
      table = null;
    }
  }

  /** t before clamping for tap k of a phase. */
  private double rawT(int k, int phase) {
    return ((double) (k - width) / reducedOriginal - (double) phase / reducedTarget) * base;
  }

  /**
   * Fills {@code out} with the support of phase {@code phase}'s kernel (the formula of the class comment, whose
   * clamp does nothing inside the support) and returns its length.
   */
  private int kernel(int phase, double[] out) {
    double scale = base / reducedOriginal;
    int first = supportStart[phase];
    int n = supportLength[phase];
    for (int i = 0; i < n; i++) {
      double t = rawT(first + i, phase);
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
      out[i] = sinc * w * scale;
    }
    return n;
  }

  /** The torchaudio-default resampler (Hann window, width 6, rolloff 0.99); recent rate pairs are cached. */
  public static Resampler of(int originalRateHz, int targetRateHz) {
    long key = ((long) originalRateHz << 32) | (targetRateHz & 0xFFFFFFFFL);
    synchronized (DEFAULTS) {
      Resampler cached = DEFAULTS.get(key);
      if (cached != null) {
        return cached;
      }
    }
    Resampler r = new Resampler(originalRateHz, targetRateHz, 6, 0.99, Window.HANN, DEFAULT_KAISER_BETA);
    synchronized (DEFAULTS) {
      DEFAULTS.put(key, r);
    }
    return r;
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
    double[] scratch = table == null ? new double[maxSupport] : null;
    // phase by phase: outputs j = m*n + phase share one kernel
    for (int phase = 0; phase < reducedTarget && phase < outLength; phase++) {
      double[] h;
      int taps;
      if (table != null) {
        h = table[phase];
        taps = h.length;
      } else {
        h = scratch;
        taps = kernel(phase, scratch);
      }
      int kFirst = supportStart[phase];
      for (int j = phase, block = 0; j < outLength; j += reducedTarget, block++) {
        // padded index p = block*o + k maps to input index p - width
        int first = block * reducedOriginal - width + kFirst;
        int tStart = Math.max(0, -first);
        int tEnd = Math.min(taps, length - first);
        double acc = 0;
        for (int t = tStart; t < tEnd; t++) {
          acc += h[t] * input[first + t];
        }
        out[j] = (float) acc;
      }
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
