package dev.earshot.features;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Cuts a sequence of normalised feature rows, arriving one by one, into the windows of a {@link WindowSpec}
 * and hands each to a consumer as soon as it is complete; holds at most one window of rows (the last W).
 *
 * <p>Windows start every hop; when frames remain after the last full window, one more window is cut that ends
 * at the clip's end (so it overlaps its predecessor by more than the window minus the hop) instead of a window
 * padded after the end: a clip two frames longer than the window gives two windows of real audio, not a
 * second one half made of padding that the clip's mean would weigh like the first. Only a clip shorter than
 * one window is padded (the model's single input, as always).
 */
final class WindowCutter {
  private final WindowSpec spec;
  private final int inputFrames;
  private final float[] paddingRow;
  private final double frameShiftSeconds;
  private final Consumer<FeatureWindow> sink;
  private final ArrayDeque<float[]> rows = new ArrayDeque<>(); // the last W rows received
  private long received;
  private int emitted;
  private long lastEnd; // frame index after the last frame of the last emitted window
  private boolean done;

  /**
   * @param inputFrames rows of each emitted window: the window, padded up to the model's input length
   * @param paddingRow the normalised row that stands for a zero (padding) frame
   */
  WindowCutter(WindowSpec spec, int inputFrames, float[] paddingRow, double frameShiftSeconds,
      Consumer<FeatureWindow> sink) {
    this.spec = spec;
    this.inputFrames = Math.max(inputFrames, spec.windowFrames());
    this.paddingRow = paddingRow;
    this.frameShiftSeconds = frameShiftSeconds;
    this.sink = sink;
  }

  /** Takes the next frame; false once no more frames are wanted (a crop saw a frame past its window). */
  boolean accept(float[] row) {
    if (done) {
      return false;
    }
    if (spec.firstOnly() && emitted == 1) {
      // a frame beyond the first window exists: the clip is being cut
      done = true;
      rows.clear();
      return false;
    }
    rows.addLast(row);
    received++;
    if (rows.size() > spec.windowFrames()) {
      rows.removeFirst();
    }
    long start = (long) emitted * spec.hopFrames();
    if (received >= start + spec.windowFrames()) {
      emit(start, spec.windowFrames()); // the rows held are exactly [start, start + W)
    }
    return true;
  }

  /** Whether the consumer still wants frames. */
  boolean wantsMore() {
    return !done;
  }

  /**
   * Emits the last window if frames after the last full window remain: the one ending at the clip's end, or,
   * when no window was emitted (a clip shorter than a window), the whole clip padded.
   *
   * @param durationSeconds length of the audio read
   */
  ClipWindows finish(double durationSeconds) {
    boolean cropped = done;
    if (!done && emitted == 0) {
      emit(0, (int) received);
    } else if (!done && lastEnd < received) {
      emit(received - spec.windowFrames(), spec.windowFrames());
    }
    return new ClipWindows(received, durationSeconds, emitted, cropped);
  }

  private void emit(long start, int real) {
    float[][] window = new float[inputFrames][];
    int i = 0;
    for (float[] r : rows) {
      if (i >= real) {
        break;
      }
      window[i++] = r;
    }
    for (; i < window.length; i++) {
      window[i] = paddingRow;
    }
    sink.accept(new FeatureWindow(emitted, start, real, window, start * frameShiftSeconds,
        (start + real) * frameShiftSeconds));
    emitted++;
    lastEnd = start + real;
  }

  static float[] paddingRow(Normalization normalization, int bins) {
    float[][] zero = {new float[bins]};
    return Arrays.copyOf(normalization.applyInPlace(zero)[0], bins);
  }
}
