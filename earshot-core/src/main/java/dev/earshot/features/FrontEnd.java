package dev.earshot.features;

import static dev.earshot.ConfigException.require;

import dev.earshot.audio.AudioFile;
import dev.earshot.audio.AudioInputException;
import dev.earshot.audio.AudioLoader;
import dev.earshot.audio.AudioStream;
import dev.earshot.audio.Resampler;
import dev.earshot.audio.StreamingResampler;
import dev.earshot.audio.Waveform;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The whole AST-family input pipeline for one clip: load (mono, resampled), Kaldi filterbank, pad/crop to a
 * fixed number of frames (zeros appended before normalisation, as SSAST and EAT do), then normalise.
 *
 * <p>Thread-safe; one instance can serve a pool of data-loading threads.
 *
 * @param loader file reading, mix-down and resampling; its rate must equal the filterbank's
 * @param fbank filterbank options
 * @param normalization dataset normalisation ({@link Normalization#IDENTITY} for none)
 * @param targetFrames fixed output length in frames, or 0 to keep the natural length
 */
public record FrontEnd(AudioLoader loader, FbankConfig fbank, Normalization normalization, int targetFrames) {

  public FrontEnd {
    Objects.requireNonNull(loader, "loader");
    Objects.requireNonNull(fbank, "fbank");
    Objects.requireNonNull(normalization, "normalization");
    require(targetFrames >= 0, "targetFrames", "must be >= 0, got " + targetFrames);
    require(
        loader.targetSampleRateHz() == fbank.sampleFrequencyHz(),
        "sampleFrequencyHz",
        "filterbank rate " + fbank.sampleFrequencyHz() + " Hz differs from the loader's target rate "
            + loader.targetSampleRateHz() + " Hz");
  }

  /** SSAST/AST defaults: 16 kHz, AST filterbank, AudioSet normalisation, {@code targetFrames} frames. */
  public static FrontEnd ast(int targetFrames) {
    return new FrontEnd(AudioLoader.DEFAULT, FbankConfig.ast(), Normalization.AUDIOSET, targetFrames);
  }

  /** Normalised features (frames, bins) of an audio file. */
  public float[][] process(Path file) {
    Waveform waveform = loader.load(file);
    try {
      return process(waveform);
    } catch (AudioInputException e) {
      throw e.file() == null ? e.withFile(file) : e;
    }
  }

  /**
   * Cuts a file of any length into model inputs and hands them to {@code sink} in order, in memory bounded by
   * one window (plus what {@code sink} keeps): the file is decoded, mixed down, resampled and turned into
   * filterbank frames chunk by chunk ({@link AudioFile#stream(Path)}, {@link StreamingResampler},
   * {@link StreamingFbank}). A filterbank that needs the whole clip ({@link StreamingFbank#supports}) is
   * computed on the whole clip instead. Windows shorter than {@code targetFrames} are padded to it (as a
   * short clip is); longer ones are refused. For a clip no longer than one window of {@code targetFrames}
   * the single window equals {@link #process(Path)}.
   *
   * @throws AudioInputException naming the file, as {@link #process(Path)}
   */
  public ClipWindows windows(Path file, WindowSpec spec, Consumer<FeatureWindow> sink) {
    try {
      if (!StreamingFbank.supports(fbank)) {
        return windows(loader.load(file), spec, sink);
      }
      try (AudioStream stream = AudioFile.stream(file)) {
        return windows(stream, spec, sink);
      }
    } catch (AudioInputException e) {
      throw e.file() == null ? e.withFile(file) : e;
    }
  }

  /**
   * {@link #windows(Path, WindowSpec, Consumer)} for an open stream (closed by the caller). Stops reading once
   * a crop ({@link WindowSpec#firstOnly()}) has seen audio past its window.
   */
  public ClipWindows windows(AudioStream stream, WindowSpec spec, Consumer<FeatureWindow> sink) {
    if (!StreamingFbank.supports(fbank)) {
      return windows(loader.toTarget(stream.readFully()), spec, sink);
    }
    int targetRate = loader.targetSampleRateHz();
    StreamingResampler resampler = stream.sampleRateHz() == targetRate ? null
        : new StreamingResampler(Resampler.of(stream.sampleRateHz(), targetRate));
    StreamingFbank frames = new StreamingFbank(fbank);
    WindowCutter cutter = cutter(spec, sink);
    float[][] chunk = new float[stream.channels()][targetRate];
    int n;
    while (cutter.wantsMore() && (n = stream.read(chunk)) > 0) {
      float[][] exact = chunk;
      if (n < chunk[0].length) {
        exact = new float[chunk.length][];
        for (int c = 0; c < chunk.length; c++) {
          exact[c] = Arrays.copyOf(chunk[c], n);
        }
      }
      float[] mono = loader.mixdown().apply(exact); // may be chunk[0] itself: both consumers below copy it
      float[] atRate = resampler == null ? mono : resampler.accept(mono, mono.length);
      feed(frames.accept(atRate, atRate.length), cutter);
    }
    if (resampler != null && cutter.wantsMore()) {
      float[] tail = resampler.finish();
      feed(frames.accept(tail, tail.length), cutter);
    }
    if (frames.frames() == 0) {
      throw tooShort(frames.samples());
    }
    return cutter.finish(frames.samples() / (double) targetRate);
  }

  /** {@link #windows(Path, WindowSpec, Consumer)} for samples in memory (any rate: resampled as configured). */
  public ClipWindows windows(Waveform waveform, WindowSpec spec, Consumer<FeatureWindow> sink) {
    Waveform atRate = waveform.sampleRateHz() == loader.targetSampleRateHz() ? waveform
        : Resampler.of(waveform.sampleRateHz(), loader.targetSampleRateHz()).apply(waveform);
    float[][] features = normalization.applyInPlace(KaldiFbankCache.get(fbank).compute(atRate));
    WindowCutter cutter = cutter(spec, sink);
    for (float[] row : features) {
      if (!cutter.accept(row)) {
        break;
      }
    }
    return cutter.finish(atRate.durationSeconds());
  }

  /** Windows padded to {@code targetFrames} (the model's input); a longer window than that is refused. */
  private WindowCutter cutter(WindowSpec spec, Consumer<FeatureWindow> sink) {
    if (targetFrames > 0 && spec.windowFrames() > targetFrames) {
      throw new dev.earshot.ConfigException("window: " + spec.windowFrames() + " frames ("
          + spec.windowFrames() * fbank.frameShiftMs() / 1000 + " s) is longer than the model's input of "
          + targetFrames + " frames (" + targetFrames * fbank.frameShiftMs() / 1000 + " s)");
    }
    return new WindowCutter(spec, targetFrames, WindowCutter.paddingRow(normalization, fbank.numFeatures()),
        fbank.frameShiftMs() / 1000.0, sink);
  }

  private void feed(float[][] rows, WindowCutter cutter) {
    for (float[] row : rows) {
      normalization.applyInPlace(new float[][] {row});
      if (!cutter.accept(row)) {
        return;
      }
    }
  }

  private AudioInputException tooShort(long samples) {
    return new AudioInputException((java.nio.file.Path) null, AudioInputException.Problem.TOO_SHORT,
        "clip has " + samples + " samples, shorter than one " + fbank.frameLengthMs() + " ms frame ("
            + fbank.windowSizeSamples() + " samples at " + fbank.sampleFrequencyHz() + " Hz)");
  }

  /** Normalised features (frames, bins) of a waveform at the loader's rate. */
  public float[][] process(Waveform waveform) {
    float[][] features = KaldiFbankCache.get(fbank).compute(waveform);
    if (targetFrames > 0) {
      features = PadCrop.apply(features, targetFrames);
    }
    return normalization.applyInPlace(features);
  }
}
