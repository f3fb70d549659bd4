package dev.earshot.audio;

import java.util.Objects;

/**
 * Decoded audio with every channel kept, as read from a file.
 *
 * <p>Integer PCM is scaled as torchaudio and libsndfile do with normalisation on: signed b-bit values are
 * divided by 2^(b-1); unsigned 8-bit values become (v - 128) / 128. Floats are passed through unchanged.
 *
 * @param channels samples per channel, {@code channels[c][i]}; every channel has the same length
 * @param format the stored format the samples were decoded from
 */
public record MultichannelAudio(float[][] channels, AudioFormat format) {

  public MultichannelAudio {
    Objects.requireNonNull(channels, "channels");
    Objects.requireNonNull(format, "format");
    if (channels.length != format.channels()) {
      throw new IllegalArgumentException(
          "got " + channels.length + " channel arrays for a " + format.channels() + "-channel format");
    }
    for (float[] c : channels) {
      if (c.length != channels[0].length) {
        throw new IllegalArgumentException("channels differ in length");
      }
    }
  }

  public int sampleRateHz() {
    return format.sampleRateHz();
  }

  /** Samples per channel. */
  public int length() {
    return channels[0].length;
  }

  /** Reduces to mono with the given rule; the samples are copied when more than one channel exists. */
  public Waveform toMono(Mixdown mixdown) {
    return new Waveform(mixdown.apply(channels), format.sampleRateHz());
  }
}
