package dev.earshot.features;

import static dev.earshot.ConfigException.require;

/**
 * How a clip is cut into model inputs: windows of {@code windowFrames} filterbank frames every
 * {@code hopFrames} frames, and where frames remain after the last of those, one more window that ends at the
 * clip's end (not a window padded past it); or, with {@code firstOnly}, the first window alone (the old crop,
 * which results then say they did).
 *
 * <p>A clip of T frames gives 1 + ceil(max(0, T - W) / H) windows: every frame is in at least one window,
 * and no window holds only frames an earlier one already covered. A clip no longer than W gives exactly
 * the single padded input the model has always seen ({@link PadCrop}).
 *
 * @param windowFrames frames per window (W), normally the model's input length
 * @param hopFrames frames between window starts (H), 1 .. W
 * @param firstOnly keep only the first window
 */
public record WindowSpec(int windowFrames, int hopFrames, boolean firstOnly) {

  public WindowSpec {
    require(windowFrames >= 1, "window", "must be at least one frame, got " + windowFrames);
    require(hopFrames >= 1 && hopFrames <= windowFrames, "hop",
        "must be between one frame and the window (" + windowFrames + " frames), got " + hopFrames);
  }

  /** The default for a model input of {@code targetFrames}: windows of that length, half-overlapping. */
  public static WindowSpec forModel(int targetFrames) {
    return new WindowSpec(targetFrames, Math.max(1, targetFrames / 2), false);
  }

  /** Windows and hop given in seconds, rounded to whole frames of {@code fbank}'s frame shift. */
  public static WindowSpec seconds(double windowSeconds, double hopSeconds, FbankConfig fbank) {
    double shift = fbank.frameShiftMs() / 1000.0;
    require(windowSeconds > 0 && Double.isFinite(windowSeconds), "window", "must be positive, got " + windowSeconds);
    require(hopSeconds > 0 && Double.isFinite(hopSeconds), "hop", "must be positive, got " + hopSeconds);
    int window = (int) Math.max(1, Math.round(windowSeconds / shift));
    int hop = (int) Math.max(1, Math.round(hopSeconds / shift));
    require(hop <= window, "hop", "must not exceed the window (" + windowSeconds + " s), got " + hopSeconds + " s");
    return new WindowSpec(window, hop, false);
  }

  /** The same windows, keeping only the first. */
  public WindowSpec cropped() {
    return new WindowSpec(windowFrames, hopFrames, true);
  }

  /** Windows a clip of {@code frames} frames is cut into. */
  public int windowCount(long frames) {
    if (firstOnly || frames <= windowFrames) {
      return 1;
    }
    return (int) (1 + (frames - windowFrames + hopFrames - 1) / hopFrames);
  }
}
