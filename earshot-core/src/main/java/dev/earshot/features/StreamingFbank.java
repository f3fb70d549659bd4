package dev.earshot.features;

import java.util.Arrays;
import java.util.Random;

/**
 * {@link KaldiFbank} over a signal that arrives in chunks: each frame is produced as soon as its last sample
 * arrives, holding only one window of samples. The frames equal {@code compute} on the whole signal for
 * every configuration {@link #supports(FbankConfig) supported}: edges snipped (frames never reach past
 * the end), no per-column mean removal and no minimum duration (both need the whole clip), and the
 * whole-waveform DC offset only together with per-frame DC removal, which cancels it exactly in
 * arithmetic (in floating point the two agree to about 1e-12).
 *
 * <p>Not thread-safe: one per stream.
 */
public final class StreamingFbank {
  private final KaldiFbank fbank;
  private final Random dither;
  private final int windowSize;
  private final int windowShift;
  private final int numFeatures;
  private float[] buffer;
  private long bufferStart;
  private int bufferLength;
  private long nextFrame;

  /** True when {@code config} can be computed in a stream with the same result as on the whole clip. */
  public static boolean supports(FbankConfig config) {
    return config.snipEdges() && !config.subtractMean() && config.minDurationSeconds() == 0
        && (config.removeDcOffset() || !config.removeWaveformDcOffset());
  }

  public StreamingFbank(FbankConfig config) {
    if (!supports(config)) {
      throw new IllegalArgumentException("this filterbank needs the whole clip (snipEdges=false, subtractMean,"
          + " minDurationSeconds or waveform DC removal without per-frame DC removal)");
    }
    this.fbank = KaldiFbankCache.get(config);
    this.dither = config.dither() != 0 ? new Random(config.ditherSeed()) : null;
    this.windowSize = config.windowSizeSamples();
    this.windowShift = config.windowShiftSamples();
    this.numFeatures = config.numFeatures();
    this.buffer = new float[Math.max(windowSize * 4, 1 << 14)];
  }

  /**
   * Appends {@code length} samples (at the filterbank's rate) and returns the frames they complete, each a
   * row of {@link FbankConfig#numFeatures()} values, in order.
   */
  public float[][] accept(float[] samples, int length) {
    if (bufferLength + length > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.max(2 * buffer.length, bufferLength + length));
    }
    System.arraycopy(samples, 0, buffer, bufferLength, length);
    bufferLength += length;
    long received = bufferStart + bufferLength;
    long ready = received < windowSize ? 0 : (received - windowSize) / windowShift + 1;
    int count = (int) Math.max(0, ready - nextFrame);
    float[][] rows = new float[count][numFeatures];
    float[] buffered = buffer;
    int first = (int) (nextFrame * windowShift - bufferStart);
    fbank.computeRows((f, frame) -> {
      int start = first + f * windowShift;
      for (int j = 0; j < windowSize; j++) {
        frame[j] = buffered[start + j];
      }
    }, count, dither, rows, 0);
    nextFrame += count;
    // keep from the first sample of the next frame on
    int drop = (int) Math.min(bufferLength, nextFrame * windowShift - bufferStart);
    if (drop > 0) {
      System.arraycopy(buffer, drop, buffer, 0, bufferLength - drop);
      bufferLength -= drop;
      bufferStart += drop;
    }
    return rows;
  }

  /** Frames produced so far. */
  public long frames() {
    return nextFrame;
  }

  /** Samples received so far. */
  public long samples() {
    return bufferStart + bufferLength;
  }
}
