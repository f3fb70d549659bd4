package dev.earshot.audio;

import dev.earshot.audio.AudioInputException.Problem;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads a WAV file's samples chunk by chunk with the same header rules and sample scaling as
 * {@link WavDecoder}, holding only one chunk of bytes at a time.
 *
 * <p>Implementation notes. The header is parsed from the first 64 KiB (doubled up to 16 MiB when LIST or
 * other chunks push the data chunk further); the data chunk is then read sequentially. A stream that ends
 * before the data chunk's declared size is {@link Problem#TRUNCATED} at the point it ends, as in
 * {@link WavDecoder}; so is a file shorter than declared, before any sample is returned.
 */
final class WavStream implements AudioStream {
  private static final int FIRST_HEAD_BYTES = 64 * 1024;
  private static final int MAX_HEAD_BYTES = 16 << 20;

  private final InputStream in;
  private final Path file;
  private final String source;
  private final AudioFormat format;
  private final int containerBits;
  private final int blockAlign;
  private final long totalFrames;
  private byte[] pending; // bytes of the data chunk already read with the header
  private int pendingOffset;
  private long framesRead;
  private byte[] scratch = new byte[0];

  private WavStream(InputStream in, Path file, String source, byte[] head, WavDecoder.Layout layout) {
    this.in = in;
    this.file = file;
    this.source = source;
    this.format = layout.format();
    this.containerBits = layout.containerBits();
    this.blockAlign = format.channels() * (containerBits / 8);
    this.totalFrames = format.frames();
    this.pending = head;
    this.pendingOffset = layout.dataOffset();
  }

  /** Opens a WAV file. */
  static WavStream open(Path file) {
    InputStream in;
    long size;
    try {
      size = Files.size(file);
      in = Files.newInputStream(file);
    } catch (NoSuchFileException e) {
      throw new AudioInputException(file, Problem.NOT_FOUND, "no such file", e);
    } catch (AccessDeniedException e) {
      throw new AudioInputException(file, Problem.UNREADABLE, "permission denied", e);
    } catch (IOException e) {
      throw new AudioInputException(file, Problem.UNREADABLE, String.valueOf(e.getMessage()), e);
    }
    return open(in, file, file.toString(), size);
  }

  /** Reads a WAV stream of unknown length from its first byte. */
  static WavStream open(InputStream in, String source) {
    return open(in, null, source, -1);
  }

  private static WavStream open(InputStream in, Path file, String source, long knownLength) {
    byte[] head = new byte[0];
    int want = FIRST_HEAD_BYTES;
    try {
      while (true) {
        byte[] more = readUpTo(in, file, source, want - head.length);
        head = concat(head, more);
        boolean ended = head.length < want;
        long total = knownLength >= 0 ? knownLength : ended ? head.length : Long.MAX_VALUE;
        try {
          WavDecoder.Layout layout = WavDecoder.parse(file, head, total);
          return new WavStream(in, file, source, head, layout);
        } catch (AudioInputException e) {
          boolean headerMayContinue = !ended && head.length < total
              && (e.problem() == Problem.CORRUPT || e.problem() == Problem.TRUNCATED);
          if (!headerMayContinue) {
            throw file == null ? e.withSource(source) : e;
          }
          if (want >= MAX_HEAD_BYTES) {
            throw new AudioInputException(file == null ? null : file, Problem.UNSUPPORTED_FORMAT,
                "no data chunk in the first " + (MAX_HEAD_BYTES >> 20) + " MiB", e);
          }
          want *= 2;
        }
      }
    } catch (RuntimeException e) {
      closeQuietly(in);
      throw e;
    }
  }

  @Override
  public String source() {
    return source;
  }

  @Override
  public AudioFormat format() {
    return format;
  }

  @Override
  public int read(float[][] buffer) {
    long left = totalFrames - framesRead;
    if (left <= 0) {
      return -1;
    }
    int frames = (int) Math.min(buffer[0].length, left);
    int bytes = frames * blockAlign;
    if (scratch.length < bytes) {
      scratch = new byte[bytes];
    }
    int got = 0;
    if (pending != null) {
      int n = Math.min(bytes, pending.length - pendingOffset);
      System.arraycopy(pending, pendingOffset, scratch, 0, n);
      pendingOffset += n;
      got = n;
      if (pendingOffset >= pending.length) {
        pending = null;
      }
    }
    if (got < bytes) {
      byte[] rest = readUpTo(in, file, source, bytes - got);
      System.arraycopy(rest, 0, scratch, got, rest.length);
      got += rest.length;
    }
    if (got < bytes) {
      throw error(Problem.TRUNCATED, "stream ends after " + (framesRead + got / blockAlign) + " of the "
          + totalFrames + " samples per channel the data chunk declares (file truncated)");
    }
    ByteBuffer data = ByteBuffer.wrap(scratch, 0, bytes).order(ByteOrder.LITTLE_ENDIAN);
    int channels = format.channels();
    int bytesPerSample = containerBits / 8;
    int pos = 0;
    for (int i = 0; i < frames; i++) {
      for (int c = 0; c < channels; c++) {
        float v = WavDecoder.readSample(data, pos, format.encoding(), containerBits);
        if (!Float.isFinite(v)) {
          throw error(Problem.NON_FINITE_SAMPLES, "sample " + (framesRead + i) + " of channel " + c + " is " + v
              + " (NaN or infinite samples are not audio)");
        }
        buffer[c][i] = v;
        pos += bytesPerSample;
      }
    }
    framesRead += frames;
    return frames;
  }

  @Override
  public void close() {
    closeQuietly(in);
  }

  private AudioInputException error(Problem problem, String detail) {
    return file != null ? new AudioInputException(file, problem, detail)
        : new AudioInputException(source, problem, detail, null);
  }

  private static byte[] readUpTo(InputStream in, Path file, String source, int n) {
    try {
      return in.readNBytes(n);
    } catch (IOException e) {
      String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      throw file != null ? new AudioInputException(file, Problem.UNREADABLE, reason, e)
          : new AudioInputException(source, Problem.UNREADABLE, reason, e);
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    if (a.length == 0) {
      return b;
    }
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException ignored) {
      // nothing was written; the read result is what matters
    }
  }
}
