package dev.earshot.features;

import static dev.earshot.ConfigException.require;

import java.util.Objects;

/**
 * Every option of {@code torchaudio.compliance.kaldi.fbank} (torchaudio 0.13), with the same meaning and the
 * same defaults in {@link #kaldiDefaults()}, plus {@code removeWaveformDcOffset}, the whole-clip mean
 * removal that the AST family applies before calling fbank.
 *
 * <p>{@link #ast()} is the configuration AST, SSAST, EAT and ASiT use: Hann window, 128 mel bins, no dither,
 * no energy, 25 ms frames every 10 ms, whole-waveform DC removal. torchaudio's {@code channel} option has
 * no counterpart: channel selection happens before, in {@link dev.earshot.audio.Mixdown}.
 *
 * @param sampleFrequencyHz sampling rate of the waveform, Hz
 * @param frameLengthMs frame length, ms (window size = int(rate * ms / 1000) samples)
 * @param frameShiftMs frame shift, ms
 * @param windowType analysis window
 * @param blackmanCoeff constant of the generalised Blackman window
 * @param dither standard deviation of Gaussian noise added to every sample of every frame (0 = none)
 * @param ditherSeed seed of the dither generator, so that dithered features are reproducible
 * @param preemphasisCoefficient pre-emphasis y[j] = x[j] - c x[j-1] (x[-1] = x[0]), in [0, 1]
 * @param removeDcOffset subtract each frame's mean
 * @param removeWaveformDcOffset subtract the whole waveform's mean first (not a torchaudio option)
 * @param roundToPowerOfTwo zero-pad each frame to the next power of two before the FFT
 * @param snipEdges true: only frames that fit entirely; false: reflect the signal at both ends (Kaldi)
 * @param lowFreqHz low cut-off of the mel bins, Hz
 * @param highFreqHz high cut-off, Hz; 0 or negative means Nyquist plus this value
 * @param numMelBins number of triangular mel filters (more than 3)
 * @param useEnergy add the frame log-energy as an extra column
 * @param rawEnergy take the energy before pre-emphasis and windowing
 * @param htkCompat with {@code useEnergy}, put the energy last (HTK) instead of first
 * @param energyFloor floor on the energy (absolute); 0 disables the floor
 * @param useLogFbank take the log of the filter energies (floored at float epsilon)
 * @param usePower filter the power spectrum (true) or the magnitude spectrum (false)
 * @param subtractMean subtract each column's mean over the clip (cepstral mean subtraction)
 * @param minDurationSeconds clips shorter than this give zero frames
 * @param vtlnLowHz lower inflection point of the VTLN warp, Hz
 * @param vtlnHighHz upper inflection point, Hz; negative means Nyquist plus this value
 * @param vtlnWarp VTLN warp factor (1 = no warping)
 */
public record FbankConfig(
    double sampleFrequencyHz,
    double frameLengthMs,
    double frameShiftMs,
    WindowType windowType,
    double blackmanCoeff,
    double dither,
    long ditherSeed,
    double preemphasisCoefficient,
    boolean removeDcOffset,
    boolean removeWaveformDcOffset,
    boolean roundToPowerOfTwo,
    boolean snipEdges,
    double lowFreqHz,
    double highFreqHz,
    int numMelBins,
    boolean useEnergy,
    boolean rawEnergy,
    boolean htkCompat,
    double energyFloor,
    boolean useLogFbank,
    boolean usePower,
    boolean subtractMean,
    double minDurationSeconds,
    double vtlnLowHz,
    double vtlnHighHz,
    double vtlnWarp) {

  public FbankConfig {
    Objects.requireNonNull(windowType, "windowType");
    require(sampleFrequencyHz > 0 && sampleFrequencyHz <= 1_000_000, "sampleFrequencyHz",
        "must be in (0, 1000000], got " + sampleFrequencyHz);
    require(frameShiftMs > 0, "frameShiftMs", "must be positive, got " + frameShiftMs);
    require(frameLengthMs > 0, "frameLengthMs", "must be positive, got " + frameLengthMs);
    int window = (int) (sampleFrequencyHz * frameLengthMs * 0.001);
    int shift = (int) (sampleFrequencyHz * frameShiftMs * 0.001);
    require(window >= 2 && window <= 1 << 20, "frameLengthMs", "gives a window of " + window
        + " samples; need 2 to 2^20");
    require(shift >= 1, "frameShiftMs", "gives a shift of " + shift + " samples; need at least 1");
    require(
        roundToPowerOfTwo || window % 2 == 0,
        "frameLengthMs",
        "gives an odd window of " + window + " samples; use roundToPowerOfTwo or change the frame length");
    require(
        preemphasisCoefficient >= 0 && preemphasisCoefficient <= 1,
        "preemphasisCoefficient",
        "must be in [0, 1], got " + preemphasisCoefficient);
    require(dither >= 0 && Double.isFinite(dither), "dither", "must be finite and >= 0, got " + dither);
    require(numMelBins > 3 && numMelBins <= 4096, "numMelBins", "must be in 4..4096, got " + numMelBins);
    require(energyFloor >= 0 && Double.isFinite(energyFloor), "energyFloor", "must be finite and >= 0, got "
        + energyFloor);
    require(minDurationSeconds >= 0 && Double.isFinite(minDurationSeconds), "minDurationSeconds",
        "must be finite and >= 0, got " + minDurationSeconds);
    double nyquist = 0.5 * sampleFrequencyHz;
    double high = highFreqHz <= 0 ? highFreqHz + nyquist : highFreqHz;
    require(
        lowFreqHz >= 0 && lowFreqHz < nyquist,
        "lowFreqHz",
        "must be in [0, Nyquist = " + nyquist + "), got " + lowFreqHz);
    require(
        high > 0 && high <= nyquist && lowFreqHz < high,
        "highFreqHz",
        "resolves to " + high + " Hz; need lowFreqHz < high <= Nyquist = " + nyquist);
    require(vtlnWarp > 0, "vtlnWarp", "must be positive, got " + vtlnWarp);
    if (vtlnWarp != 1.0) {
      double vtlnHigh = vtlnHighHz < 0 ? vtlnHighHz + nyquist : vtlnHighHz;
      require(
          lowFreqHz < vtlnLowHz && vtlnLowHz < high && vtlnHigh > 0 && vtlnHigh < high && vtlnLowHz < vtlnHigh,
          "vtlnLowHz/vtlnHighHz",
          "need lowFreqHz < vtlnLowHz < vtlnHighHz < highFreqHz, got " + vtlnLowHz + " and " + vtlnHigh);
    }
  }

  /** torchaudio's defaults for {@code kaldi.fbank} (povey window, 23 bins, 16 kHz), no waveform DC removal. */
  public static FbankConfig kaldiDefaults() {
    return new Builder().build();
  }

  /**
   * The AST-family front end: {@code fbank(w - w.mean(), htk_compat=True, sample_frequency=16000,
   * use_energy=False, window_type='hanning', num_mel_bins=128, dither=0.0, frame_shift=10)}.
   */
  public static FbankConfig ast() {
    return ast(16000);
  }

  /** {@link #ast()} at another sampling rate (ASiT computes it at 32 kHz). */
  public static FbankConfig ast(double sampleFrequencyHz) {
    return new Builder()
        .sampleFrequencyHz(sampleFrequencyHz)
        .windowType(WindowType.HANNING)
        .numMelBins(128)
        .htkCompat(true)
        .useEnergy(false)
        .dither(0)
        .frameShiftMs(10)
        .removeWaveformDcOffset(true)
        .build();
  }

  /** Window size in samples: int(rate * frameLength / 1000). */
  public int windowSizeSamples() {
    return (int) (sampleFrequencyHz * frameLengthMs * 0.001);
  }

  /** Frame shift in samples: int(rate * frameShift / 1000). */
  public int windowShiftSamples() {
    return (int) (sampleFrequencyHz * frameShiftMs * 0.001);
  }

  /** FFT length: the window size, rounded up to a power of two when {@code roundToPowerOfTwo}. */
  public int paddedWindowSize() {
    int w = windowSizeSamples();
    return roundToPowerOfTwo ? Integer.highestOneBit(w - 1) << 1 : w;
  }

  /** Output columns: mel bins, plus one with {@code useEnergy}. */
  public int numFeatures() {
    return numMelBins + (useEnergy ? 1 : 0);
  }

  /** Number of frames produced for {@code numSamples} samples (0 when too short with snipEdges). */
  public int numFrames(int numSamples) {
    int window = windowSizeSamples();
    int shift = windowShiftSamples();
    if (snipEdges) {
      return numSamples < window ? 0 : 1 + (numSamples - window) / shift;
    }
    return (numSamples + shift / 2) / shift;
  }

  /** A builder starting from these values. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Builder starting from {@link #kaldiDefaults()}. */
  public static Builder builder() {
    return new Builder();
  }

  /** Mutable builder; every setter returns {@code this}. Starts from torchaudio's defaults. */
  public static final class Builder {
    private double sampleFrequencyHz = 16000;
    private double frameLengthMs = 25;
    private double frameShiftMs = 10;
    private WindowType windowType = WindowType.POVEY;
    private double blackmanCoeff = 0.42;
    private double dither = 0;
    private long ditherSeed = 0;
    private double preemphasisCoefficient = 0.97;
    private boolean removeDcOffset = true;
    private boolean removeWaveformDcOffset = false;
    private boolean roundToPowerOfTwo = true;
    private boolean snipEdges = true;
    private double lowFreqHz = 20;
    private double highFreqHz = 0;
    private int numMelBins = 23;
    private boolean useEnergy = false;
    private boolean rawEnergy = true;
    private boolean htkCompat = false;
    private double energyFloor = 1.0;
    private boolean useLogFbank = true;
    private boolean usePower = true;
    private boolean subtractMean = false;
    private double minDurationSeconds = 0;
    private double vtlnLowHz = 100;
    private double vtlnHighHz = -500;
    private double vtlnWarp = 1.0;

    private Builder() {}

    private Builder(FbankConfig c) {
      sampleFrequencyHz = c.sampleFrequencyHz;
      frameLengthMs = c.frameLengthMs;
      frameShiftMs = c.frameShiftMs;
      windowType = c.windowType;
      blackmanCoeff = c.blackmanCoeff;
      dither = c.dither;
      ditherSeed = c.ditherSeed;
      preemphasisCoefficient = c.preemphasisCoefficient;
      removeDcOffset = c.removeDcOffset;
      removeWaveformDcOffset = c.removeWaveformDcOffset;
      roundToPowerOfTwo = c.roundToPowerOfTwo;
      snipEdges = c.snipEdges;
      lowFreqHz = c.lowFreqHz;
      highFreqHz = c.highFreqHz;
      numMelBins = c.numMelBins;
      useEnergy = c.useEnergy;
      rawEnergy = c.rawEnergy;
      htkCompat = c.htkCompat;
      energyFloor = c.energyFloor;
      useLogFbank = c.useLogFbank;
      usePower = c.usePower;
      subtractMean = c.subtractMean;
      minDurationSeconds = c.minDurationSeconds;
      vtlnLowHz = c.vtlnLowHz;
      vtlnHighHz = c.vtlnHighHz;
      vtlnWarp = c.vtlnWarp;
    }

    public Builder sampleFrequencyHz(double v) {
      sampleFrequencyHz = v;
      return this;
    }

    public Builder frameLengthMs(double v) {
      frameLengthMs = v;
      return this;
    }

    public Builder frameShiftMs(double v) {
      frameShiftMs = v;
      return this;
    }

    public Builder windowType(WindowType v) {
      windowType = v;
      return this;
    }

    public Builder blackmanCoeff(double v) {
      blackmanCoeff = v;
      return this;
    }

    public Builder dither(double v) {
      dither = v;
      return this;
    }

    public Builder ditherSeed(long v) {
      ditherSeed = v;
      return this;
    }

    public Builder preemphasisCoefficient(double v) {
      preemphasisCoefficient = v;
      return this;
    }

    public Builder removeDcOffset(boolean v) {
      removeDcOffset = v;
      return this;
    }

    public Builder removeWaveformDcOffset(boolean v) {
      removeWaveformDcOffset = v;
      return this;
    }

    public Builder roundToPowerOfTwo(boolean v) {
      roundToPowerOfTwo = v;
      return this;
    }

    public Builder snipEdges(boolean v) {
      snipEdges = v;
      return this;
    }

    public Builder lowFreqHz(double v) {
      lowFreqHz = v;
      return this;
    }

    public Builder highFreqHz(double v) {
      highFreqHz = v;
      return this;
    }

    public Builder numMelBins(int v) {
      numMelBins = v;
      return this;
    }

    public Builder useEnergy(boolean v) {
      useEnergy = v;
      return this;
    }

    public Builder rawEnergy(boolean v) {
      rawEnergy = v;
      return this;
    }

    public Builder htkCompat(boolean v) {
      htkCompat = v;
      return this;
    }

    public Builder energyFloor(double v) {
      energyFloor = v;
      return this;
    }

    public Builder useLogFbank(boolean v) {
      useLogFbank = v;
      return this;
    }

    public Builder usePower(boolean v) {
      usePower = v;
      return this;
    }

    public Builder subtractMean(boolean v) {
      subtractMean = v;
      return this;
    }

    public Builder minDurationSeconds(double v) {
      minDurationSeconds = v;
      return this;
    }

    public Builder vtlnLowHz(double v) {
      vtlnLowHz = v;
      return this;
    }

    public Builder vtlnHighHz(double v) {
      vtlnHighHz = v;
      return this;
    }

    public Builder vtlnWarp(double v) {
      vtlnWarp = v;
      return this;
    }

    /** Validates and builds; throws {@link dev.earshot.ConfigException} naming the bad option. */
    public FbankConfig build() {
      return new FbankConfig(
          sampleFrequencyHz,
          frameLengthMs,
          frameShiftMs,
          windowType,
          blackmanCoeff,
          dither,
          ditherSeed,
          preemphasisCoefficient,
          removeDcOffset,
          removeWaveformDcOffset,
          roundToPowerOfTwo,
          snipEdges,
          lowFreqHz,
          highFreqHz,
          numMelBins,
          useEnergy,
          rawEnergy,
          htkCompat,
          energyFloor,
          useLogFbank,
          usePower,
          subtractMean,
          minDurationSeconds,
          vtlnLowHz,
          vtlnHighHz,
          vtlnWarp);
    }
  }
}
