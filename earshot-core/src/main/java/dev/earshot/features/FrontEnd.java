package dev.earshot.features;

import static dev.earshot.ConfigException.require;

import dev.earshot.audio.AudioInputException;
import dev.earshot.audio.AudioLoader;
import dev.earshot.audio.Waveform;
import java.nio.file.Path;
import java.util.Objects;

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

  /** Normalised features (frames, bins) of a waveform at the loader's rate. */
  public float[][] process(Waveform waveform) {
    float[][] features = KaldiFbankCache.get(fbank).compute(waveform);
    if (targetFrames > 0) {
      features = PadCrop.apply(features, targetFrames);
    }
    return normalization.applyInPlace(features);
  }
}
