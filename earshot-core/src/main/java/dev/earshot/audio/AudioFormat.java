package dev.earshot.audio;

/**
 * Facts about an audio file as stored: container, sample coding, bit depth, channel count, rate, length.
 *
 * @param container short container name, {@code "WAV"} or {@code "FLAC"}
 * @param encoding how each sample is coded
 * @param bitsPerSample significant bits per sample (8, 16, 24, 32 or 64)
 * @param channels number of interleaved channels, at least 1
 * @param sampleRateHz sampling rate in Hz
 * @param frames samples per channel
 * @param extensible true when a WAV file uses WAVE_FORMAT_EXTENSIBLE
 */
public record AudioFormat(
    String container,
    SampleEncoding encoding,
    int bitsPerSample,
    int channels,
    int sampleRateHz,
    long frames,
    boolean extensible) {

  public AudioFormat {
    if (channels < 1) {
      throw new IllegalArgumentException("channels must be >= 1, got " + channels);
    }
    if (sampleRateHz < 1) {
      throw new IllegalArgumentException("sampleRateHz must be >= 1, got " + sampleRateHz);
    }
    if (frames < 0) {
      throw new IllegalArgumentException("frames must be >= 0, got " + frames);
    }
  }

  /** Length in seconds. */
  public double durationSeconds() {
    return frames / (double) sampleRateHz;
  }
}
