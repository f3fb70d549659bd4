package dev.earshot.infer;

import java.util.List;

/**
 * The answer for a clip of any length: one answer per window, with timestamps, and their aggregate.
 *
 * @param source the file or display name
 * @param durationSeconds length of the audio analysed (for a cropped clip: the part that was read)
 * @param windowSeconds window length
 * @param hopSeconds distance between window starts
 * @param cropped true when only the first window was analysed although the clip is longer ({@code --crop})
 * @param windows per-window answers in time order
 * @param aggregation how {@link #aggregate()} was formed
 * @param aggregate the clip's answer: class probabilities or an embedding
 */
public record WindowedResult(String source, double durationSeconds, double windowSeconds, double hopSeconds,
    boolean cropped, List<WindowValues> windows, Aggregation aggregation, float[] aggregate) {

  public WindowedResult {
    windows = List.copyOf(windows);
  }
}
