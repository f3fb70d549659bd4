package dev.earshot.cli;

import dev.earshot.audio.AudioLoader;
import dev.earshot.audio.Mixdown;
import dev.earshot.features.FbankConfig;
import dev.earshot.features.FrontEnd;
import dev.earshot.features.Normalization;
import dev.earshot.features.WindowType;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * Front-end flags shared by every command that turns audio into features: loading (rate, mix-down), every
 * {@code kaldi.fbank} option, normalisation and a fixed length. Defaults are the AST/SSAST/EAT front end.
 */
final class FrontEndOptions {
  @Option(names = "--sample-rate", paramLabel = "HZ", defaultValue = "16000",
      description = "Resample to this rate before the filterbank (default: ${DEFAULT-VALUE}).")
  int sampleRateHz;

  @Option(names = "--mixdown", paramLabel = "RULE", defaultValue = "average", converter = Choice.MixdownChoice.class,
      completionCandidates = Choice.MixdownChoice.class,
      description = "average (mean of channels, default) or first (channel 0, as SSAST/AST effectively do).")
  Mixdown mixdown;

  @Option(names = "--preset", paramLabel = "NAME", defaultValue = "ast", converter = PresetChoice.class,
      completionCandidates = PresetChoice.class,
      description = "Starting point for the filterbank options: ast (Hann, 128 bins, waveform DC removal; "
          + "default) or kaldi (torchaudio's kaldi.fbank defaults: povey, 23 bins).")
  Preset preset;

  @Option(names = "--window", paramLabel = "TYPE", converter = Choice.WindowChoice.class,
      completionCandidates = Choice.WindowChoice.class, description = "Analysis window: ${COMPLETION-CANDIDATES}.")
  WindowType window;

  /** Where the filterbank options start. */
  enum Preset {
    /** The AST family's front end ({@link FbankConfig#ast(double)}). */
    AST,
    /** torchaudio's {@code kaldi.fbank} defaults. */
    KALDI
  }

  /** {@code ast} or {@code kaldi}. */
  static final class PresetChoice extends Choice<Preset> {
    PresetChoice() {
      super(Preset.class);
    }
  }

  @Option(names = "--num-mel-bins", paramLabel = "N", description = "Number of mel filters.")
  Integer numMelBins;

  @Option(names = "--frame-length", paramLabel = "MS", description = "Frame length in ms (default 25).")
  Double frameLengthMs;

  @Option(names = "--frame-shift", paramLabel = "MS", description = "Frame shift in ms (default 10).")
  Double frameShiftMs;

  @Option(names = "--low-freq", paramLabel = "HZ", description = "Low cut-off of the mel filters (default 20).")
  Double lowFreqHz;

  @Option(names = "--high-freq", paramLabel = "HZ",
      description = "High cut-off; 0 or negative = Nyquist plus this value (default 0).")
  Double highFreqHz;

  @Option(names = "--dither", paramLabel = "X", description = "Gaussian dither per sample (default 0).")
  Double dither;

  @Option(names = "--dither-seed", paramLabel = "SEED", description = "Seed of the dither (default 0).")
  Long ditherSeed;

  @Option(names = "--preemphasis", paramLabel = "C", description = "Pre-emphasis coefficient (default 0.97).")
  Double preemphasis;

  @Option(names = "--remove-dc-offset", negatable = true, description = "Subtract each frame's mean.")
  Boolean removeDcOffset;

  @Option(names = "--waveform-dc", negatable = true,
      description = "Subtract the whole clip's mean first (AST family; on with the ast preset).")
  Boolean waveformDc;

  @Option(names = "--round-to-power-of-two", negatable = true, description = "Zero-pad frames to 2^k for the FFT.")
  Boolean roundToPowerOfTwo;

  @Option(names = "--snip-edges", negatable = true,
      description = "Only whole frames (default); --no-snip-edges reflects the signal at the ends like Kaldi.")
  Boolean snipEdges;

  @Option(names = "--use-energy", negatable = true, description = "Add a log-energy column.")
  Boolean useEnergy;

  @Option(names = "--raw-energy", negatable = true, description = "Energy before pre-emphasis and window.")
  Boolean rawEnergy;

  @Option(names = "--htk-compat", negatable = true, description = "Energy column last instead of first.")
  Boolean htkCompat;

  @Option(names = "--energy-floor", paramLabel = "E", description = "Floor on the energy (0 = none).")
  Double energyFloor;

  @Option(names = "--log-fbank", negatable = true, description = "Log of the filter energies (default on).")
  Boolean logFbank;

  @Option(names = "--use-power", negatable = true, description = "Power (default) or magnitude spectrum.")
  Boolean usePower;

  @Option(names = "--subtract-mean", negatable = true, description = "Remove each column's mean over the clip.")
  Boolean subtractMean;

  @Option(names = "--min-duration", paramLabel = "S", description = "Clips shorter than this give no frames.")
  Double minDurationSeconds;

  @Option(names = "--vtln-warp", paramLabel = "F", description = "VTLN warp factor (default 1 = none).")
  Double vtlnWarp;

  @Option(names = "--vtln-low", paramLabel = "HZ", description = "VTLN lower inflection (default 100).")
  Double vtlnLowHz;

  @Option(names = "--vtln-high", paramLabel = "HZ", description = "VTLN upper inflection (default -500).")
  Double vtlnHighHz;

  @ArgGroup(exclusive = true)
  NormalizationChoice normalization;

  static final class NormalizationChoice {
    @Option(names = "--norm", paramLabel = "PRESET", completionCandidates = Names.NormalizationPresets.class,
        description = "Normalise (x - mean) / (2 std) with a preset: ${COMPLETION-CANDIDATES}.")
    String preset;

    @ArgGroup(exclusive = false)
    Explicit explicit;
  }

  static final class Explicit {
    @Option(names = "--norm-mean", required = true, paramLabel = "M", description = "Dataset mean.")
    double mean;

    @Option(names = "--norm-std", required = true, paramLabel = "S", description = "Dataset std.")
    double std;
  }

  @Option(names = "--target-frames", paramLabel = "N", defaultValue = "0",
      description = "Pad with zeros or crop to N frames (0 = keep the natural length, default).")
  int targetFrames;

  AudioLoader loader() {
    return new AudioLoader(sampleRateHz, mixdown);
  }

  FbankConfig fbankConfig() {
    FbankConfig base = preset == Preset.AST ? FbankConfig.ast(sampleRateHz)
        : FbankConfig.kaldiDefaults().toBuilder().sampleFrequencyHz(sampleRateHz).build();
    FbankConfig.Builder b = base.toBuilder();
    if (window != null) {
      b.windowType(window);
    }
    if (numMelBins != null) {
      b.numMelBins(numMelBins);
    }
    if (frameLengthMs != null) {
      b.frameLengthMs(frameLengthMs);
    }
    if (frameShiftMs != null) {
      b.frameShiftMs(frameShiftMs);
    }
    if (lowFreqHz != null) {
      b.lowFreqHz(lowFreqHz);
    }
    if (highFreqHz != null) {
      b.highFreqHz(highFreqHz);
    }
    if (dither != null) {
      b.dither(dither);
    }
    if (ditherSeed != null) {
      b.ditherSeed(ditherSeed);
    }
    if (preemphasis != null) {
      b.preemphasisCoefficient(preemphasis);
    }
    if (removeDcOffset != null) {
      b.removeDcOffset(removeDcOffset);
    }
    if (waveformDc != null) {
      b.removeWaveformDcOffset(waveformDc);
    }
    if (roundToPowerOfTwo != null) {
      b.roundToPowerOfTwo(roundToPowerOfTwo);
    }
    if (snipEdges != null) {
      b.snipEdges(snipEdges);
    }
    if (useEnergy != null) {
      b.useEnergy(useEnergy);
    }
    if (rawEnergy != null) {
      b.rawEnergy(rawEnergy);
    }
    if (htkCompat != null) {
      b.htkCompat(htkCompat);
    }
    if (energyFloor != null) {
      b.energyFloor(energyFloor);
    }
    if (logFbank != null) {
      b.useLogFbank(logFbank);
    }
    if (usePower != null) {
      b.usePower(usePower);
    }
    if (subtractMean != null) {
      b.subtractMean(subtractMean);
    }
    if (minDurationSeconds != null) {
      b.minDurationSeconds(minDurationSeconds);
    }
    if (vtlnWarp != null) {
      b.vtlnWarp(vtlnWarp);
    }
    if (vtlnLowHz != null) {
      b.vtlnLowHz(vtlnLowHz);
    }
    if (vtlnHighHz != null) {
      b.vtlnHighHz(vtlnHighHz);
    }
    return b.build();
  }

  Normalization normalization() {
    if (normalization == null) {
      return Normalization.IDENTITY;
    }
    if (normalization.preset != null) {
      return Normalization.preset(normalization.preset);
    }
    return new Normalization(normalization.explicit.mean, normalization.explicit.std);
  }

  FrontEnd frontEnd() {
    return new FrontEnd(loader(), fbankConfig(), normalization(), targetFrames);
  }
}
