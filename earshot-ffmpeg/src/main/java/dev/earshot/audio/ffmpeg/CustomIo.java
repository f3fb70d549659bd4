package dev.earshot.audio.ffmpeg;

import static org.bytedeco.ffmpeg.global.avformat.AVSEEK_SIZE;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.Read_packet_Pointer_BytePointer_int;
import org.bytedeco.ffmpeg.avformat.Seek_Pointer_long_int;
import org.bytedeco.ffmpeg.global.avformat;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;

/**
 * FFmpeg reads every input through these callbacks ({@code avio_alloc_context}), never through a URL or
 * protocol of its own: nothing an input file names can make FFmpeg open another file or a network address.
 *
 * <p>Implementation notes. JavaCPP allocates a native trampoline per callback object, from a small fixed
 * pool, so there is exactly one read and one seek callback for the process; each open input registers its
 * {@link ByteSource} under the address of its opaque pointer, which the callbacks receive. An exception
 * inside a callback is kept on the input and reported after FFmpeg returns.
 */
final class CustomIo implements AutoCloseable {
  private static final int BUFFER_BYTES = 64 * 1024;
  private static final int AVERROR_EIO = -5;
  private static final int SEEK_WHENCE_MASK = 0xFFFF; // strips AVSEEK_FORCE
  private static final Map<Long, CustomIo> OPEN = new ConcurrentHashMap<>();
  private static final Read READ = new Read();
  private static final Seek SEEK = new Seek();

  private final ByteSource source;
  private final BytePointer opaque = new BytePointer(1);
  private final byte[] scratch = new byte[BUFFER_BYTES];
  private final AVIOContext context;
  private IOException failure;

  CustomIo(ByteSource source) {
    this.source = source;
    BytePointer buffer = new BytePointer(avutil.av_malloc(BUFFER_BYTES));
    OPEN.put(opaque.address(), this);
    this.context = avformat.avio_alloc_context(buffer, BUFFER_BYTES, 0, opaque, READ, null, SEEK);
    if (context == null || context.isNull()) {
      OPEN.remove(opaque.address());
      throw new OutOfMemoryError("avio_alloc_context");
    }
  }

  AVIOContext context() {
    return context;
  }

  /** The I/O error a callback met, if any. */
  IOException failure() {
    return failure;
  }

  boolean seekable() {
    try {
      return source.size() >= 0;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void close() {
    OPEN.remove(opaque.address());
    // the buffer may have been replaced by FFmpeg; free whatever the context holds now
    BytePointer buffer = context.buffer();
    if (buffer != null && !buffer.isNull()) {
      avutil.av_free(buffer);
    }
    avformat.avio_context_free(context);
    opaque.close();
    try {
      source.close();
    } catch (IOException ignored) {
      // reading is over; nothing was written
    }
  }

  private static final class Read extends Read_packet_Pointer_BytePointer_int {
    @Override
    public int call(Pointer opaque, BytePointer buf, int size) {
      CustomIo io = OPEN.get(opaque.address());
      if (io == null) {
        return AVERROR_EIO;
      }
      try {
        int n = io.source.read(io.scratch, Math.min(size, io.scratch.length));
        if (n <= 0) {
          return AVERROR_EOF;
        }
        buf.position(0).put(io.scratch, 0, n);
        return n;
      } catch (IOException | RuntimeException e) {
        io.failure = e instanceof IOException ioe ? ioe : new IOException(e);
        return AVERROR_EIO;
      }
    }
  }

  private static final class Seek extends Seek_Pointer_long_int {
    @Override
    public long call(Pointer opaque, long offset, int whence) {
      CustomIo io = OPEN.get(opaque.address());
      if (io == null) {
        return -1;
      }
      try {
        if ((whence & AVSEEK_SIZE) != 0) {
          return io.source.size();
        }
        long target;
        switch (whence & SEEK_WHENCE_MASK) {
          case 0: // SEEK_SET
            target = offset;
            break;
          case 1: // SEEK_CUR
            target = io.source.position() + offset;
            break;
          case 2: // SEEK_END
            long size = io.source.size();
            if (size < 0) {
              return -1;
            }
            target = size + offset;
            break;
          default:
            return -1;
        }
        return io.source.seek(target) ? target : -1;
      } catch (IOException | RuntimeException e) {
        io.failure = e instanceof IOException ioe ? ioe : new IOException(e);
        return -1;
      }
    }
  }
}
