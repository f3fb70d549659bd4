package dev.earshot.audio;

import java.util.Arrays;

/**
 * Decoded audio delivered in chunks, for recordings too long to hold in memory (an hour of 48 kHz stereo is
 * 1.4 GB as floats). Obtained from {@link AudioFile#stream}; the samples equal those of
 * {@link AudioFile#read} for the same input, chunk boundaries aside.
 *
 * <p>Not thread-safe: one reader at a time. Close it to release the file or the decoder.
 */
public interface AudioStream extends AutoCloseable {

  /** The file or display name the samples come from (what error messages start with). */
  String source();

  /**
   * The stored format. {@link AudioFormat#frames()} is the length the file declares, or 0 when it declares
   * none (only the end of the stream tells).
   */
  AudioFormat format();

  default int channels() {
    return format().channels();
  }

  default int sampleRateHz() {
    return format().sampleRateHz();
  }

  /**
   * Reads up to {@code buffer[0].length} frames: {@code buffer[c][0..n)} receives channel c.
   *
   * @param buffer one array per channel, all of the same length
   * @return n &gt; 0, or -1 at the end of the stream
   * @throws AudioInputException when the data turn out to be truncated or corrupt
   */
  int read(float[][] buffer);

  @Override
  void close();

  /** Reads what is left of the stream into memory. */
  default MultichannelAudio readFully() {
    int channels = channels();
    int capacity = (int) Math.min(Math.max(format().frames(), 1 << 14), Integer.MAX_VALUE - 16);
    float[][] all = new float[channels][capacity];
    float[][] chunk = new float[channels][1 << 14];
    long length = 0;
    int n;
    while ((n = read(chunk)) > 0) {
      if (length + n > Integer.MAX_VALUE - 16) {
        throw new AudioInputException(source(), AudioInputException.Problem.UNSUPPORTED_FORMAT,
            "more than 2^31 samples per channel; read it as a stream (AudioFile.stream)", null);
      }
      if (length + n > all[0].length) {
        int grown = (int) Math.min(Integer.MAX_VALUE - 16, Math.max(2L * all[0].length, length + n));
        for (int c = 0; c < channels; c++) {
          all[c] = Arrays.copyOf(all[c], grown);
        }
      }
      for (int c = 0; c < channels; c++) {
        System.arraycopy(chunk[c], 0, all[c], (int) length, n);
      }
      length += n;
    }
    if (length == 0) {
      throw new AudioInputException(source(), AudioInputException.Problem.EMPTY, "the stream holds no samples",
          null);
    }
    for (int c = 0; c < channels; c++) {
      if (all[c].length != length) {
        all[c] = Arrays.copyOf(all[c], (int) length);
      }
    }
    AudioFormat f = format();
    AudioFormat exact = new AudioFormat(f.container(), f.encoding(), f.bitsPerSample(), f.channels(),
        f.sampleRateHz(), length, f.extensible());
    return new MultichannelAudio(all, exact);
  }
}
