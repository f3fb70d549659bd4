package dev.earshot.audio;

import static dev.earshot.ConfigException.require;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Reads a file, reduces it to mono and resamples it to a target rate: the first step of every pipeline.
 *
 * @param targetSampleRateHz rate of the returned waveform (16000 for every published model except ASiT)
 * @param mixdown how several channels become one
 */
public record AudioLoader(int targetSampleRateHz, Mixdown mixdown) {
  /** 16 kHz, channel average. */
  public static final AudioLoader DEFAULT = new AudioLoader(16000, Mixdown.AVERAGE);

  public AudioLoader {
    require(targetSampleRateHz > 0, "targetSampleRateHz", "must be positive, got " + targetSampleRateHz);
    Objects.requireNonNull(mixdown, "mixdown");
  }

  /** Mono samples of {@code file} at the target rate. */
  public Waveform load(Path file) {
    return toTarget(AudioFile.read(file));
  }

  /** Mono samples of already decoded audio at the target rate. */
  public Waveform toTarget(MultichannelAudio audio) {
    Waveform mono = audio.toMono(mixdown);
    if (mono.sampleRateHz() == targetSampleRateHz) {
      return mono;
    }
    return Resampler.of(mono.sampleRateHz(), targetSampleRateHz).apply(mono);
  }
}
