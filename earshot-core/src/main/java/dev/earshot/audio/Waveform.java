package dev.earshot.audio;

import java.util.Objects;

/**
 * Mono audio: float samples (nominally in [-1, 1]) at a sampling rate. This is what the front end consumes.
 *
 * <p>The array is not copied; callers that keep mutating it should pass a copy.
 *
 * @param samples the samples, length = number of samples
 * @param sampleRateHz sampling rate in Hz
 */
public record Waveform(float[] samples, int sampleRateHz) {

  public Waveform {
    Objects.requireNonNull(samples, "samples");
    if (sampleRateHz < 1) {
      throw new IllegalArgumentException("sampleRateHz must be >= 1, got " + sampleRateHz);
    }
  }

  /** Number of samples. */
  public int length() {
    return samples.length;
  }

  /** Length in seconds. */
  public double durationSeconds() {
    return samples.length / (double) sampleRateHz;
  }
}
