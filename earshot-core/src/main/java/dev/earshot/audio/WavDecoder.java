package dev.earshot.audio;

import dev.earshot.audio.AudioInputException.Problem;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * Decodes RIFF/WAVE and RF64 files: PCM 8 (unsigned), 16, 24 and 32 bit, IEEE float 32 and 64 bit, plain or
 * WAVE_FORMAT_EXTENSIBLE, any channel count and sampling rate.
 *
 * <p>Implementation notes. Chunks are walked in order; unknown chunks (LIST, fact, cue, ...) are skipped,
 * honouring the pad byte after odd-sized chunks. A data size of 0xFFFFFFFF (streamed writers, RF64 without
 * ds64) means "to the end of the file". A data chunk that claims more bytes than the file holds is reported
 * as {@link Problem#TRUNCATED} rather than decoded partially: a silently shortened clip would be a wrong
 * output. A trailing partial sample frame is ignored, as libsndfile does. Integer samples are scaled by
 * 2^(container bits - 1), which equals torchaudio's {@code normalize=True} for every bit depth. The rate and
 * the length are checked against {@link AudioLimits} before any sample is allocated.
 */
final class WavDecoder {
  private static final int FORMAT_PCM = 0x0001;
  private static final int FORMAT_IEEE_FLOAT = 0x0003;
  private static final int FORMAT_EXTENSIBLE = 0xFFFE;

  private WavDecoder() {}

  /** True when the bytes start like a RIFF/WAVE or RF64/WAVE file. */
  static boolean accepts(byte[] head) {
    return head.length >= 12
        && (startsWith(head, 0, "RIFF") || startsWith(head, 0, "RF64"))
        && startsWith(head, 8, "WAVE");
  }

  /** Reads only the header. */
  static AudioFormat probe(Path file, byte[] bytes) {
    return parse(file, bytes, bytes.length).format;
  }

  /** Decodes every channel to float, within {@code limits} (checked before the samples are allocated). */
  static MultichannelAudio decode(Path file, byte[] bytes, AudioLimits limits) {
    Layout layout = parse(file, bytes, bytes.length);
    AudioFormat format = layout.format;
    int channels = format.channels();
    limits.checkRate(file, format.sampleRateHz());
    limits.checkLength(file, format.frames(), channels, format.sampleRateHz(), 4);
    int frames = Math.toIntExact(format.frames());
    float[][] out = new float[channels][frames];
    ByteBuffer data = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int bytesPerSample = layout.containerBits / 8;
    int pos = layout.dataOffset;
    for (int i = 0; i < frames; i++) {
      for (int c = 0; c < channels; c++) {
        out[c][i] = readSample(data, pos, format.encoding(), layout.containerBits);
        pos += bytesPerSample;
      }
    }
    if (format.encoding() == SampleEncoding.IEEE_FLOAT) {
      requireFinite(file, out);
    }
    return new MultichannelAudio(out, format);
  }

  static float readSample(ByteBuffer b, int pos, SampleEncoding encoding, int bits) {
    switch (encoding) {
      case PCM_UNSIGNED:
        return ((b.get(pos) & 0xFF) - 128) / 128f;
      case PCM_SIGNED:
        switch (bits) {
          case 16:
            return b.getShort(pos) / 32768f;
          case 24:
            int v = (b.get(pos) & 0xFF) | ((b.get(pos + 1) & 0xFF) << 8) | (b.get(pos + 2) << 16);
            return v / 8388608f;
          case 32:
            return (float) (b.getInt(pos) / 2147483648.0);
          default:
            throw new IllegalStateException("unreachable bit depth " + bits);
        }
      case IEEE_FLOAT:
        return bits == 32 ? b.getFloat(pos) : (float) b.getDouble(pos);
      default:
        throw new IllegalStateException("unreachable encoding " + encoding);
    }
  }

  static void requireFinite(Path file, float[][] channels) {
    for (int c = 0; c < channels.length; c++) {
      float[] x = channels[c];
      for (int i = 0; i < x.length; i++) {
        if (!Float.isFinite(x[i])) {
          throw new AudioInputException(
              file,
              Problem.NON_FINITE_SAMPLES,
              "sample " + i + " of channel " + c + " is " + x[i] + " (NaN or infinite samples are not audio)");
        }
      }
    }
  }

  record Layout(AudioFormat format, int dataOffset, int containerBits) {}

  /**
   * Walks the chunks in {@code bytes}, the first bytes of a file of {@code totalLength} bytes (all of it
   * when decoding in memory; the head when streaming, see {@link WavStream}).
   */
  static Layout parse(Path file, byte[] bytes, long totalLength) {
    if (bytes.length < 12) {
      throw new AudioInputException(
          file, Problem.TRUNCATED, "WAV header truncated (" + bytes.length + " bytes, need at least 12)");
    }
    if (!accepts(bytes)) {
      throw new AudioInputException(file, Problem.CORRUPT, "not a RIFF/WAVE file");
    }
    boolean rf64 = startsWith(bytes, 0, "RF64");
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    long rf64DataSize = -1;
    int formatTag = -1;
    int channels = 0;
    long sampleRate = 0;
    int blockAlign = 0;
    int bits = 0;
    boolean extensible = false;
    int pos = 12;
    while (pos + 8 <= bytes.length) {
      String id = new String(bytes, pos, 4, java.nio.charset.StandardCharsets.US_ASCII);
      long size = b.getInt(pos + 4) & 0xFFFFFFFFL;
      int body = pos + 8;
      switch (id) {
        case "ds64":
          requireBody(file, bytes, body, 24, "ds64");
          rf64DataSize = b.getLong(body + 8);
          break;
        case "fmt ":
          if (size < 16) {
            throw new AudioInputException(file, Problem.CORRUPT, "fmt chunk too small (" + size + " bytes)");
          }
          requireBody(file, bytes, body, 16, "fmt");
          formatTag = b.getShort(body) & 0xFFFF;
          channels = b.getShort(body + 2) & 0xFFFF;
          sampleRate = b.getInt(body + 4) & 0xFFFFFFFFL;
          blockAlign = b.getShort(body + 12) & 0xFFFF;
          bits = b.getShort(body + 14) & 0xFFFF;
          if (formatTag == FORMAT_EXTENSIBLE) {
            if (size < 40) {
              throw new AudioInputException(
                  file, Problem.CORRUPT, "WAVE_FORMAT_EXTENSIBLE fmt chunk too small (" + size + " bytes)");
            }
            requireBody(file, bytes, body, 40, "fmt");
            extensible = true;
            formatTag = b.getShort(body + 24) & 0xFFFF; // first two bytes of the sub-format GUID
          }
          break;
        case "data":
          if (formatTag < 0) {
            throw new AudioInputException(file, Problem.CORRUPT, "data chunk before fmt chunk");
          }
          long dataSize = size;
          if (rf64 && size == 0xFFFFFFFFL && rf64DataSize >= 0) {
            dataSize = rf64DataSize;
          } else if (size == 0xFFFFFFFFL) {
            dataSize = totalLength - body;
          }
          long available = totalLength - (long) body;
          if (dataSize > available) {
            throw new AudioInputException(
                file,
                Problem.TRUNCATED,
                "data chunk declares " + dataSize + " bytes but only " + available + " follow (file truncated)");
          }
          return layout(file, formatTag, channels, sampleRate, blockAlign, bits, extensible, body, dataSize);
        default:
          break;
      }
      long next = body + size + (size & 1);
      if (next > totalLength && !"data".equals(id)) {
        // A trailing chunk cut short is harmless only after the data chunk, which we would have returned on.
        throw new AudioInputException(
            file, Problem.TRUNCATED, "chunk '" + id.trim() + "' runs past the end of the file");
      }
      pos = (int) next;
    }
    if (formatTag < 0) {
      throw new AudioInputException(file, Problem.CORRUPT, "no fmt chunk");
    }
    throw new AudioInputException(file, Problem.CORRUPT, "no data chunk");
  }

  private static Layout layout(
      Path file,
      int formatTag,
      int channels,
      long sampleRate,
      int blockAlign,
      int bits,
      boolean extensible,
      int dataOffset,
      long dataSize) {
    SampleEncoding encoding;
    if (formatTag == FORMAT_PCM) {
      if (bits != 8 && bits != 16 && bits != 24 && bits != 32) {
        throw new AudioInputException(
            file, Problem.UNSUPPORTED_FORMAT, bits + "-bit integer PCM is not supported (8, 16, 24 or 32 bit)");
      }
      encoding = bits == 8 ? SampleEncoding.PCM_UNSIGNED : SampleEncoding.PCM_SIGNED;
    } else if (formatTag == FORMAT_IEEE_FLOAT) {
      if (bits != 32 && bits != 64) {
        throw new AudioInputException(
            file, Problem.UNSUPPORTED_FORMAT, bits + "-bit IEEE float is not supported (32 or 64 bit)");
      }
      encoding = SampleEncoding.IEEE_FLOAT;
    } else {
      throw new AudioInputException(
          file,
          Problem.UNSUPPORTED_FORMAT,
          "WAV codec " + codecName(formatTag) + " is not supported; convert to PCM or float WAV, or FLAC");
    }
    if (channels < 1) {
      throw new AudioInputException(file, Problem.CORRUPT, "fmt chunk declares 0 channels");
    }
    if (sampleRate < 1 || sampleRate > Integer.MAX_VALUE) {
      throw new AudioInputException(file, Problem.CORRUPT, "fmt chunk declares sample rate " + sampleRate);
    }
    int expectedAlign = channels * (bits / 8);
    if (blockAlign != expectedAlign) {
      throw new AudioInputException(
          file,
          Problem.CORRUPT,
          "block align " + blockAlign + " does not match " + channels + " channels of " + bits + " bits");
    }
    long frames = dataSize / blockAlign;
    if (frames == 0) {
      throw new AudioInputException(file, Problem.EMPTY, "the data chunk holds no samples");
    }
    if (frames > Integer.MAX_VALUE) {
      throw new AudioInputException(file, Problem.UNSUPPORTED_FORMAT, "more than 2^31 samples per channel");
    }
    AudioFormat format =
        new AudioFormat("WAV", encoding, bits, channels, (int) sampleRate, frames, extensible);
    return new Layout(format, dataOffset, bits);
  }

  private static String codecName(int tag) {
    String name;
    switch (tag) {
      case 0x0002:
        name = "MS ADPCM";
        break;
      case 0x0006:
        name = "A-law";
        break;
      case 0x0007:
        name = "mu-law";
        break;
      case 0x0011:
        name = "IMA ADPCM";
        break;
      case 0x0055:
        name = "MP3";
        break;
      default:
        name = "format tag";
        break;
    }
    return name + " (0x" + String.format("%04X", tag) + ")";
  }

  private static void requireBody(Path file, byte[] bytes, int body, int need, String chunk) {
    if (body + need > bytes.length) {
      throw new AudioInputException(file, Problem.TRUNCATED, chunk + " chunk truncated");
    }
  }

  private static boolean startsWith(byte[] bytes, int offset, String ascii) {
    for (int i = 0; i < ascii.length(); i++) {
      if (bytes[offset + i] != ascii.charAt(i)) {
        return false;
      }
    }
    return true;
  }
}
