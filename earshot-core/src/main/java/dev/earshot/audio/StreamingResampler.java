package dev.earshot.audio;

import java.util.Arrays;

/**
 * {@link Resampler} applied to a signal that arrives in chunks, with output identical, bit for bit, to
 * resampling the whole signal at once, in memory bounded by the chunk size.
 *
 * <p>Implementation notes. With o/n the reduced rates, output block b (outputs b*n .. b*n + n - 1) reads the
 * input [b*o - w, b*o + w + o), w = {@link Resampler#kernelWidth()}. Each call resamples a slice of the
 * buffered input that starts m = ceil(w/o)*o samples before the first pending block (a multiple of o, so
 * the slice's block grid is the signal's) and reaches w + o samples past the last block whose input is
 * complete; from the slice's output only those blocks are kept. For them the kernel lies inside the slice,
 * or clips at the true start or end exactly as in the whole-signal computation, so each output is the same
 * sum in the same order. At the end the remaining blocks are computed and the total is cut to
 * ceil(n * length / o), as {@link Resampler#outputLength(int)} does.
 */
public final class StreamingResampler {
  private final Resampler resampler;
  private final int o;
  private final int n;
  private final int width;
  private final int margin;
  private float[] buffer = new float[0];
  private long bufferStart; // absolute index of buffer[0]
  private int bufferLength;
  private long received;
  private long nextBlock;
  private long emitted;

  public StreamingResampler(Resampler resampler) {
    this.resampler = resampler;
    int g = Resampler.gcd(resampler.originalRateHz(), resampler.targetRateHz());
    this.o = resampler.originalRateHz() / g;
    this.n = resampler.targetRateHz() / g;
    this.width = resampler.kernelWidth();
    this.margin = (width + o - 1) / o * o;
  }

  /** Appends {@code length} input samples; returns the output samples that became final (maybe none). */
  public float[] accept(float[] samples, int length) {
    if (resampler.originalRateHz() == resampler.targetRateHz()) {
      received += length;
      emitted += length;
      return Arrays.copyOf(samples, length);
    }
    append(samples, length);
    long available = received;
    long blocksReady = available - width - o < 0 ? 0 : (available - width - o) / o + 1;
    if (blocksReady <= nextBlock) {
      return new float[0];
    }
    return compute(blocksReady, false);
  }

  /** Ends the signal: returns the last output samples. */
  public float[] finish() {
    if (resampler.originalRateHz() == resampler.targetRateHz()) {
      return new float[0];
    }
    long total = (n * received + o - 1) / o;
    long blocks = (total + n - 1) / n;
    if (blocks <= nextBlock) {
      return new float[0];
    }
    return compute(blocks, true);
  }

  /** Total output samples returned so far. */
  public long emitted() {
    return emitted;
  }

  private float[] compute(long blocks, boolean atEnd) {
    long sliceStart = Math.max(0, nextBlock * o - margin);
    long sliceEnd = atEnd ? received : Math.min(received, blocks * o + width + o);
    float[] slice = Arrays.copyOfRange(buffer, (int) (sliceStart - bufferStart), (int) (sliceEnd - bufferStart));
    float[] out = resampler.apply(slice);
    long firstBlockInSlice = sliceStart / o;
    int from = (int) ((nextBlock - firstBlockInSlice) * n);
    int to = (int) Math.min(out.length, (blocks - firstBlockInSlice) * n);
    float[] result = Arrays.copyOfRange(out, from, Math.max(from, to));
    if (atEnd) {
      long total = (n * received + o - 1) / o;
      if (emitted + result.length > total) {
        result = Arrays.copyOf(result, (int) (total - emitted));
      }
    }
    emitted += result.length;
    nextBlock = blocks;
    discardBefore(Math.max(0, nextBlock * o - margin));
    return result;
  }

  private void append(float[] samples, int length) {
    if (bufferLength + length > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.max(2 * buffer.length, bufferLength + length));
    }
    System.arraycopy(samples, 0, buffer, bufferLength, length);
    bufferLength += length;
    received += length;
  }

  private void discardBefore(long absolute) {
    int drop = (int) Math.min(bufferLength, Math.max(0, absolute - bufferStart));
    if (drop > 0) {
      System.arraycopy(buffer, drop, buffer, 0, bufferLength - drop);
      bufferLength -= drop;
      bufferStart += drop;
    }
  }
}
