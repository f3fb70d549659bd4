package dev.earshot.audio.ffmpeg;

import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_DBL;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_DBLP;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_FLT;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_FLTP;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_S16;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_S16P;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_S32;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_S32P;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_S64;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_S64P;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_U8;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_U8P;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.BytePointer;

/**
 * A decoded FFmpeg frame to float samples per channel, scaled like earshot's WAV reader: signed b-bit
 * integers divided by 2^(b-1), unsigned 8-bit as (v - 128) / 128, floats unchanged.
 */
final class SampleConversion {
  private SampleConversion() {}

  /** Writes {@code n} samples of each of {@code channels} channels of {@code frame} into {@code out[c][0..n)}. */
  static void toFloat(AVFrame frame, int n, int channels, float[][] out) {
    int format = frame.format();
    boolean planar = format == AV_SAMPLE_FMT_U8P || format == AV_SAMPLE_FMT_S16P || format == AV_SAMPLE_FMT_S32P
        || format == AV_SAMPLE_FMT_FLTP || format == AV_SAMPLE_FMT_DBLP || format == AV_SAMPLE_FMT_S64P;
    int bytes = bytesPerSample(format);
    if (planar) {
      for (int c = 0; c < channels; c++) {
        ByteBuffer plane = buffer(frame.extended_data(c), (long) n * bytes);
        convert(plane, format, 0, 1, n, out[c], bytes);
      }
    } else {
      ByteBuffer all = buffer(frame.extended_data(0), (long) n * channels * bytes);
      for (int c = 0; c < channels; c++) {
        convert(all, format, c, channels, n, out[c], bytes);
      }
    }
  }

  private static ByteBuffer buffer(BytePointer data, long length) {
    return data.capacity(length).asByteBuffer().order(ByteOrder.nativeOrder());
  }

  private static void convert(ByteBuffer b, int format, int first, int stride, int n, float[] out, int bytes) {
    int step = stride * bytes;
    int pos = first * bytes;
    switch (planarOf(format)) {
      case AV_SAMPLE_FMT_FLTP:
        for (int i = 0; i < n; i++, pos += step) {
          out[i] = b.getFloat(pos);
        }
        break;
      case AV_SAMPLE_FMT_S16P:
        for (int i = 0; i < n; i++, pos += step) {
          out[i] = b.getShort(pos) / 32768f;
        }
        break;
      case AV_SAMPLE_FMT_S32P:
        for (int i = 0; i < n; i++, pos += step) {
          out[i] = (float) (b.getInt(pos) / 2147483648.0);
        }
        break;
      case AV_SAMPLE_FMT_U8P:
        for (int i = 0; i < n; i++, pos += step) {
          out[i] = ((b.get(pos) & 0xFF) - 128) / 128f;
        }
        break;
      case AV_SAMPLE_FMT_DBLP:
        for (int i = 0; i < n; i++, pos += step) {
          out[i] = (float) b.getDouble(pos);
        }
        break;
      case AV_SAMPLE_FMT_S64P:
        for (int i = 0; i < n; i++, pos += step) {
          out[i] = (float) (b.getLong(pos) / 9.223372036854775808e18);
        }
        break;
      default:
        throw new IllegalStateException("unexpected sample format " + format);
    }
  }

  private static int planarOf(int format) {
    if (format == AV_SAMPLE_FMT_FLT) {
      return AV_SAMPLE_FMT_FLTP;
    }
    if (format == AV_SAMPLE_FMT_S16) {
      return AV_SAMPLE_FMT_S16P;
    }
    if (format == AV_SAMPLE_FMT_S32) {
      return AV_SAMPLE_FMT_S32P;
    }
    if (format == AV_SAMPLE_FMT_U8) {
      return AV_SAMPLE_FMT_U8P;
    }
    if (format == AV_SAMPLE_FMT_DBL) {
      return AV_SAMPLE_FMT_DBLP;
    }
    if (format == AV_SAMPLE_FMT_S64) {
      return AV_SAMPLE_FMT_S64P;
    }
    return format;
  }

  private static int bytesPerSample(int format) {
    switch (planarOf(format)) {
      case AV_SAMPLE_FMT_U8P:
        return 1;
      case AV_SAMPLE_FMT_S16P:
        return 2;
      case AV_SAMPLE_FMT_S32P:
      case AV_SAMPLE_FMT_FLTP:
        return 4;
      case AV_SAMPLE_FMT_DBLP:
      case AV_SAMPLE_FMT_S64P:
        return 8;
      default:
        throw new IllegalStateException("decoder produced unknown sample format " + format);
    }
  }
}
