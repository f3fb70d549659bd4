package dev.earshot.features;

/**
 * The classic hand-made clip descriptor: per mel band, the mean and the standard deviation of the log-mel
 * filterbank over all of a clip's frames — (2 x bins) values, means first. With a linear classifier on
 * standardised values it is the baseline any learned clip embedding should beat.
 */
public final class LogMelStatistics {
  private LogMelStatistics() {}

  /**
   * @param fbank (frames, bins) log-mel features of the whole clip, at least one frame
   * @return (2 * bins): the mean of each band, then its (population) standard deviation
   */
  public static float[] of(float[][] fbank) {
    if (fbank.length == 0) {
      throw new IllegalArgumentException("a clip of no frames has no statistics");
    }
    int bins = fbank[0].length;
    float[] out = new float[2 * bins];
    for (int b = 0; b < bins; b++) {
      double sum = 0;
      for (float[] frame : fbank) {
        sum += frame[b];
      }
      double mean = sum / fbank.length;
      double sq = 0;
      for (float[] frame : fbank) {
        sq += (frame[b] - mean) * (frame[b] - mean);
      }
      out[b] = (float) mean;
      out[bins + b] = (float) Math.sqrt(sq / fbank.length);
    }
    return out;
  }
}
