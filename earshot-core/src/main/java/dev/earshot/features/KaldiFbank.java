package dev.earshot.features;

import dev.earshot.audio.AudioInputException;
import dev.earshot.audio.AudioInputException.Problem;
import dev.earshot.audio.Waveform;
import java.util.Random;
import org.jtransforms.fft.DoubleFFT_1D;

/**
 * Log mel filterbank features computed exactly as {@code torchaudio.compliance.kaldi.fbank} (torchaudio 0.13)
 * computes them, for every option of {@link FbankConfig}.
 *
 * <p>Implementation notes, per frame and in this order (W = window size, S = shift, P = FFT length):
 * <ol>
 *   <li>framing: with snipEdges, frame i covers samples [iS, iS + W) and there are 1 + (N - W) / S frames;
 *       otherwise (N + S/2) / S frames over the signal reflected at both ends (left pad of W/2 - S/2
 *       mirrored samples, the mirrored signal after the end), as Kaldi does;
 *   <li>dither: add N(0, 1) * dither from a generator seeded with {@code ditherSeed};
 *   <li>removeDcOffset: subtract the frame mean; then the raw energy, if requested;
 *   <li>pre-emphasis: y[j] = x[j] - c x[max(j - 1, 0)];
 *   <li>window, zero-pad to P, then the windowed energy if the raw one was not requested;
 *   <li>|rfft|^2 (or |rfft| without usePower), sparse mel filters, log(max(E, float eps));
 *   <li>energy column (first, or last with htkCompat), then per-column mean removal with subtractMean.
 * </ol>
 * Arithmetic is in double; torchaudio works in float32, so results agree to float rounding.
 *
 * <p>Instances hold immutable tables and one FFT plan per thread, and are safe for concurrent use.
 */
public final class KaldiFbank {
  /** torch.finfo(torch.float32).eps: the floor of every log in the Kaldi front end. */
  public static final double FLOAT_EPSILON = 1.1920928955078125e-07;

  private final FbankConfig config;
  private final MelBanks melBanks;
  private final double[] window;
  private final int windowSize;
  private final int windowShift;
  private final int paddedSize;
  // JTransforms plans keep bit-reversal scratch space inside (Ooura's ip[] work area), so one plan must
  // never run on two threads at once: each thread gets its own.
  private final ThreadLocal<DoubleFFT_1D> fft;
  private final double logEnergyFloor;
  private volatile VectorizedFbank vectorizedPath;

  public KaldiFbank(FbankConfig config) {
    this.config = config;
    this.windowSize = config.windowSizeSamples();
    this.windowShift = config.windowShiftSamples();
    this.paddedSize = config.paddedWindowSize();
    this.window = config.windowType().samples(windowSize, config.blackmanCoeff());
    this.melBanks = new MelBanks(config);
    this.fft = ThreadLocal.withInitial(() -> new DoubleFFT_1D(paddedSize));
    this.logEnergyFloor = config.energyFloor() == 0 ? Double.NEGATIVE_INFINITY : Math.log(config.energyFloor());
  }

  /**
   * True when frames go through {@link VectorizedFbank} in this JVM (started with
   * {@code --add-modules jdk.incubator.vector}), for benchmark reports.
   */
  public static boolean vectorized(FbankConfig config) {
    return VectorSupport.usable(config);
  }

  public FbankConfig config() {
    return config;
  }

  public MelBanks melBanks() {
    return melBanks;
  }

  /**
   * Features of a waveform whose rate must equal the configured sample frequency.
   *
   * @return (frames, {@link FbankConfig#numFeatures()})
   * @throws AudioInputException with {@link Problem#TOO_SHORT} when the clip is shorter than one window
   */
  public float[][] compute(Waveform waveform) {
    if (waveform.sampleRateHz() != config.sampleFrequencyHz()) {
      throw new IllegalArgumentException(
          "waveform is at " + waveform.sampleRateHz() + " Hz, the filterbank expects "
              + config.sampleFrequencyHz() + " Hz; resample first");
    }
    return compute(waveform.samples());
  }

  /**
   * Features of mono samples at the configured sample frequency.
   *
   * @param samples mono samples, nominally in [-1, 1]
   * @return (frames, {@link FbankConfig#numFeatures()})
   * @throws AudioInputException with {@link Problem#TOO_SHORT} when the clip is shorter than one window
   */
  public float[][] compute(float[] samples) {
    int n = samples.length;
    if (n < windowSize) {
      throw new AudioInputException(
          null,
          Problem.TOO_SHORT,
          "clip has " + n + " samples, shorter than one " + config.frameLengthMs() + " ms frame (" + windowSize
              + " samples at " + config.sampleFrequencyHz() + " Hz)");
    }
    int numFeatures = config.numFeatures();
    if (n < config.minDurationSeconds() * config.sampleFrequencyHz()) {
      return new float[0][numFeatures];
    }
    double waveformMean = 0;
    if (config.removeWaveformDcOffset()) {
      for (float s : samples) {
        waveformMean += s;
      }
      waveformMean /= n;
    }

    int frames = config.numFrames(n);
    float[][] out = new float[frames][numFeatures];
    Random dither = config.dither() != 0 ? new Random(config.ditherSeed()) : null;
    int leftPad = windowSize / 2 - windowShift / 2;
    double mean = waveformMean;
    // 1. framing
    FrameReader reader = config.snipEdges()
        ? (f, frame) -> {
          int start = f * windowShift;
          for (int j = 0; j < windowSize; j++) {
            frame[j] = samples[start + j] - mean;
          }
        }
        : (f, frame) -> {
          int start = f * windowShift - leftPad;
          for (int j = 0; j < windowSize; j++) {
            frame[j] = samples[reflect(start + j, n)] - mean;
          }
        };
    computeRows(reader, frames, dither, out, 0);
    if (config.subtractMean() && frames > 0) {
      subtractColumnMeans(out);
    }
    return out;
  }

  /** Supplies frame f: its first W samples, the waveform DC offset already removed, into {@code frame}. */
  @FunctionalInterface
  interface FrameReader {
    void read(int f, double[] frame);
  }

  /**
   * Rows {@code out[offset .. offset + count)} for frames 0 .. count-1 of {@code reader} (steps 2-7 of the
   * class notes). Frames go through {@link VectorizedFbank} in blocks when the JDK's vector module is
   * present (same arithmetic in double precision, FFT and mel products across frames in SIMD lanes), else
   * one by one.
   */
  void computeRows(FrameReader reader, int count, Random dither, float[][] out, int offset) {
    VectorizedFbank vectorized = vectorized();
    if (vectorized != null) {
      vectorized.computeRows(reader, count, dither, out, offset);
      return;
    }
    computeRowsScalar(reader, count, dither, out, offset);
  }

  /** {@link #computeRows} one frame at a time (JTransforms FFT, {@link FastLog}). */
  void computeRowsScalar(FrameReader reader, int count, Random dither, float[][] out, int offset) {
    FrameScratch scratch = new FrameScratch();
    for (int f = 0; f < count; f++) {
      reader.read(f, scratch.frame);
      processFrame(scratch, dither, out[offset + f]);
    }
  }

  private VectorizedFbank vectorized() {
    VectorizedFbank v = vectorizedPath;
    if (v == null && VectorSupport.usable(config)) {
      v = new VectorizedFbank(this);
      vectorizedPath = v;
    }
    return v;
  }

  /** Work arrays for one frame: the frame itself (P), its spectrum (P/2 + 1), the mel energies. */
  final class FrameScratch {
    final double[] frame = new double[paddedSize];
    final double[] spectrum = new double[paddedSize / 2 + 1];
    final double[] energies = new double[melBanks.numBins()];
  }

  /**
   * Steps 2-7 for one frame whose first W samples are in {@code scratch.frame} (the waveform DC offset
   * already removed): writes its {@link FbankConfig#numFeatures()} values into {@code row}.
   */
  void processFrame(FrameScratch scratch, Random dither, float[] row) {
    double logEnergy = prepareFrame(scratch.frame, dither);
    double[] energies = scratch.energies;
    powerSpectrum(scratch.frame, scratch.spectrum);
    melBanks.apply(scratch.spectrum, energies);
    writeRow(energies, logEnergy, row);
  }

  /**
   * Steps 2-4 in place on {@code frame} (P values, the first W the frame's samples): dither, DC removal,
   * pre-emphasis, window, zero padding. Returns the log energy (0 when not configured).
   */
  double prepareFrame(double[] frame, Random dither) {
    // 2. dither
    if (dither != null) {
      for (int j = 0; j < windowSize; j++) {
        frame[j] += dither.nextGaussian() * config.dither();
      }
    }
    // 3. per-frame DC removal (folded into step 4) and the raw energy
    double frameMean = 0;
    if (config.removeDcOffset()) {
      for (int j = 0; j < windowSize; j++) {
        frameMean += frame[j];
      }
      frameMean /= windowSize;
    }
    double logEnergy = 0;
    if (config.useEnergy() && config.rawEnergy()) {
      double sum = 0;
      for (int j = 0; j < windowSize; j++) {
        double v = frame[j] - frameMean;
        sum += v * v;
      }
      logEnergy = Math.max(Math.log(Math.max(sum, FLOAT_EPSILON)), logEnergyFloor);
    }
    // 4. pre-emphasis y[j] = x[j] - c x[max(j - 1, 0)] and the window, right to left in one pass so that
    //    each step still reads its unmodified left neighbour; then zero padding
    double c = config.preemphasisCoefficient();
    for (int j = windowSize - 1; j > 0; j--) {
      frame[j] = ((frame[j] - frameMean) - c * (frame[j - 1] - frameMean)) * window[j];
    }
    frame[0] = ((frame[0] - frameMean) - c * (frame[0] - frameMean)) * window[0];
    java.util.Arrays.fill(frame, windowSize, paddedSize, 0.0);
    if (config.useEnergy() && !config.rawEnergy()) {
      double sum = 0;
      for (int j = 0; j < paddedSize; j++) {
        sum += frame[j] * frame[j];
      }
      logEnergy = Math.max(Math.log(Math.max(sum, FLOAT_EPSILON)), logEnergyFloor);
    }
    return logEnergy;
  }

  /** Step 5's end: mel energies to log (or not), the energy column, into {@code row}. */
  void writeRow(double[] energies, double logEnergy, float[] row) {
    int melOffset = config.useEnergy() && !config.htkCompat() ? 1 : 0;
    for (int b = 0; b < energies.length; b++) {
      double e = energies[b];
      row[melOffset + b] = (float) (config.useLogFbank() ? FastLog.log(Math.max(e, FLOAT_EPSILON)) : e);
    }
    if (config.useEnergy()) {
      row[config.htkCompat() ? melBanks.numBins() : 0] = (float) logEnergy;
    }
  }

  /** In place real FFT of {@code frame}; writes |X_k|^2 (or |X_k|) for k = 0..P/2 into {@code out}. */
  private void powerSpectrum(double[] frame, double[] out) {
    fft.get().realForward(frame);
    int half = paddedSize / 2;
    // JTransforms packing for even P: a[0] = Re0, a[1] = Re(P/2), a[2k] = Re k, a[2k+1] = Im k.
    double re0 = frame[0];
    double reHalf = frame[1];
    out[0] = re0 * re0;
    out[half] = reHalf * reHalf;
    for (int k = 1; k < half; k++) {
      double re = frame[2 * k];
      double im = frame[2 * k + 1];
      out[k] = re * re + im * im;
    }
    if (!config.usePower()) {
      for (int k = 0; k <= half; k++) {
        out[k] = Math.sqrt(out[k]);
      }
    }
  }

  /**
   * Index into a signal of length n reflected the way Kaldi (and torchaudio with snip_edges=False) does:
   * [x[p-1] .. x[0]] before the start, and the reversed signal after the end (x[n-1] repeated once).
   */
  private static int reflect(int index, int n) {
    int i = index;
    while (i < 0 || i >= n) {
      if (i < 0) {
        i = -i - 1;
      } else {
        i = 2 * n - 1 - i;
      }
    }
    return i;
  }

  private static void subtractColumnMeans(float[][] features) {
    int columns = features[0].length;
    for (int c = 0; c < columns; c++) {
      double sum = 0;
      for (float[] row : features) {
        sum += row[c];
      }
      float mean = (float) (sum / features.length);
      for (float[] row : features) {
        row[c] -= mean;
      }
    }
  }
}
