package dev.earshot.audio.ffmpeg;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** Where FFmpeg's custom I/O reads bytes from: memory or a file (seekable), or a stream (forward only). */
abstract class ByteSource implements AutoCloseable {
  /** Reads up to {@code length} bytes; returns the count, or -1 at the end. */
  abstract int read(byte[] into, int length) throws IOException;

  /** Moves to {@code position}; false when this source cannot seek. */
  abstract boolean seek(long position) throws IOException;

  abstract long position();

  /** Total size in bytes, or -1 when unknown. */
  abstract long size() throws IOException;

  @Override
  public void close() throws IOException {}

  static ByteSource of(byte[] bytes) {
    return new ByteSource() {
      private int position;

      @Override
      int read(byte[] into, int length) {
        int n = Math.min(length, bytes.length - position);
        if (n <= 0) {
          return -1;
        }
        System.arraycopy(bytes, position, into, 0, n);
        position += n;
        return n;
      }

      @Override
      boolean seek(long to) {
        if (to < 0 || to > bytes.length) {
          return false;
        }
        position = (int) to;
        return true;
      }

      @Override
      long position() {
        return position;
      }

      @Override
      long size() {
        return bytes.length;
      }
    };
  }

  static ByteSource of(FileChannel channel) {
    return new ByteSource() {
      @Override
      int read(byte[] into, int length) throws IOException {
        return channel.read(ByteBuffer.wrap(into, 0, length));
      }

      @Override
      boolean seek(long to) throws IOException {
        if (to < 0) {
          return false;
        }
        channel.position(to);
        return true;
      }

      @Override
      long position() {
        try {
          return channel.position();
        } catch (IOException e) {
          return -1;
        }
      }

      @Override
      long size() throws IOException {
        return channel.size();
      }

      @Override
      public void close() throws IOException {
        channel.close();
      }
    };
  }

  static ByteSource of(InputStream in) {
    return new ByteSource() {
      private long position;

      @Override
      int read(byte[] into, int length) throws IOException {
        int n = in.read(into, 0, length);
        if (n > 0) {
          position += n;
        }
        return n;
      }

      @Override
      boolean seek(long to) {
        return to == position;
      }

      @Override
      long position() {
        return position;
      }

      @Override
      long size() {
        return -1;
      }

      @Override
      public void close() throws IOException {
        in.close();
      }
    };
  }
}
