package dev.earshot.audio;

/**
 * How a multi-channel clip becomes mono.
 *
 * <p>{@link #AVERAGE} is the default and what EAT does. {@link #FIRST_CHANNEL} reproduces what SSAST, AST
 * and ASiT effectively compute: they hand the (channels, samples) tensor to {@code kaldi.fbank}, which
 * only reads channel 0. (Their whole-waveform DC removal subtracts the mean over all channels first;
 * because every fbank frame removes its own mean again, that difference does not reach the features.)
 */
public enum Mixdown {
  /** Sample-wise mean of all channels. */
  AVERAGE,
  /** Channel 0 only. */
  FIRST_CHANNEL;

  /** Mono samples from {@code channels[c][i]}. Returns the first channel itself when there is just one. */
  public float[] apply(float[][] channels) {
    if (channels.length == 1 || this == FIRST_CHANNEL) {
      return channels.length == 1 ? channels[0] : channels[0].clone();
    }
    int n = channels[0].length;
    float[] mono = new float[n];
    // Sum in double, divide once: for two channels this equals torch's float mean to the last bit
    // in all but rare rounding ties, and is never less accurate.
    for (int i = 0; i < n; i++) {
      double sum = 0;
      for (float[] channel : channels) {
        sum += channel[i];
      }
      mono[i] = (float) (sum / channels.length);
    }
    return mono;
  }
}
