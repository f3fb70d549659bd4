package dev.earshot.audio;

import dev.earshot.audio.AudioInputException.Problem;
import dev.earshot.audio.FlacBitReader.EndOfData;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * A complete FLAC decoder (native FLAC streams, 4 to 32 bits per sample, 1 to 8 channels), written from the
 * format specification (RFC 9639).
 *
 * <p>Implementation notes. After an optional ID3v2 tag and the {@code fLaC} marker, STREAMINFO gives the
 * rate, channel count, bit depth, total length and the MD5 of the decoded samples; other metadata blocks
 * are skipped. Each frame header is checked against its CRC-8 and each frame against its CRC-16; the MD5 is
 * checked at the end when the encoder wrote one. Any mismatch is {@link Problem#CORRUPT}; running out of
 * bytes inside a frame is {@link Problem#TRUNCATED}. Subframes: CONSTANT, VERBATIM, FIXED (order 0-4) and
 * LPC (order 1-32) with Rice or escaped residual partitions and "wasted bits"; stereo decorrelation
 * left/side, side/right and mid/side. Samples are scaled by 2^(bits - 1) like {@link WavDecoder}.
 */
final class FlacDecoder {

  private FlacDecoder() {}

  /** True for a stream starting with {@code fLaC}, possibly after an ID3v2 tag. */
  static boolean accepts(byte[] head) {
    int start = skipId3(head);
    return start + 4 <= head.length
        && head[start] == 'f'
        && head[start + 1] == 'L'
        && head[start + 2] == 'a'
        && head[start + 3] == 'C';
  }

  static AudioFormat probe(Path file, byte[] bytes) {
    return readHeader(file, bytes).format(0);
  }

  /**
   * Decodes every channel within {@code limits}. The samples are collected incrementally, frame by frame:
   * STREAMINFO's announced length only sizes the first buffer (at most 2^20 samples), and every growth is
   * checked against the limits first, so neither a lying header nor a stream of tiny constant frames can make
   * the decoder allocate more than the limits allow.
   */
  static MultichannelAudio decode(Path file, byte[] bytes, AudioLimits limits) {
    StreamInfo info = readHeader(file, bytes);
    int channels = info.channels;
    limits.checkRate(file, info.sampleRate);
    if (info.totalSamples > 0) {
      limits.checkLength(file, info.totalSamples, channels, info.sampleRate, 8);
    }
    int capacity = (int) Math.min(info.totalSamples > 0 ? info.totalSamples : 1 << 16, 1 << 20);
    int[][] pcm = new int[channels][capacity];
    int written = 0;
    FlacBitReader in = new FlacBitReader(bytes, info.firstFrameOffset, bytes.length);
    long[][] block = new long[channels][];
    long[] residualScratch = new long[0];
    while (!in.atEnd()) {
      int frameStart = in.bytePosition();
      if (info.totalSamples > 0 && written >= info.totalSamples && !isFrameSync(bytes, frameStart)) {
        break; // trailing tag or padding after the last frame
      }
      if (!isFrameSync(bytes, frameStart)) {
        if (bytes.length - frameStart < 2) {
          throw new AudioInputException(file, Problem.TRUNCATED, "stream ends inside a frame header");
        }
        throw new AudioInputException(
            file, Problem.CORRUPT, "no frame sync code at byte " + frameStart + " (damaged stream)");
      }
      FrameHeader header;
      try {
        header = readFrameHeader(file, in, info);
        if (block[0] == null || block[0].length < header.blockSize) {
          for (int c = 0; c < channels; c++) {
            block[c] = new long[header.blockSize];
          }
          residualScratch = new long[header.blockSize];
        }
        for (int c = 0; c < channels; c++) {
          int bits = header.bitsPerSample;
          if ((header.assignment == 8 && c == 1)
              || (header.assignment == 9 && c == 0)
              || (header.assignment == 10 && c == 1)) {
            bits++; // the side channel needs one more bit
          }
          readSubframe(file, in, block[c], header.blockSize, bits, residualScratch);
        }
        in.alignToByte();
        int crcEnd = in.bytePosition();
        int storedCrc = in.readUnsignedInt(16);
        if (FlacBitReader.crc16(bytes, frameStart, crcEnd) != storedCrc) {
          throw new AudioInputException(
              file, Problem.CORRUPT, "frame at byte " + frameStart + " fails its CRC-16 check");
        }
      } catch (EndOfData e) {
        throw new AudioInputException(
            file, Problem.TRUNCATED, "stream ends inside the frame starting at byte " + frameStart);
      }
      if (header.channels != channels) {
        throw new AudioInputException(
            file,
            Problem.CORRUPT,
            "frame at byte " + frameStart + " has " + header.channels + " channels, STREAMINFO says " + channels);
      }
      decorrelate(block, header);
      if (written + header.blockSize > pcm[0].length) {
        long needed = (long) written + header.blockSize;
        limits.checkLength(file, needed, channels, info.sampleRate, 8);
        int grown = (int) Math.min(Math.max(2L * pcm[0].length, needed), limits.maxFrames(info.sampleRate));
        for (int c = 0; c < channels; c++) {
          pcm[c] = Arrays.copyOf(pcm[c], grown);
        }
      }
      for (int c = 0; c < channels; c++) {
        long[] src = block[c];
        int[] dst = pcm[c];
        for (int i = 0; i < header.blockSize; i++) {
          dst[written + i] = (int) src[i];
        }
      }
      written += header.blockSize;
    }
    if (info.totalSamples > 0 && written < info.totalSamples) {
      throw new AudioInputException(
          file,
          Problem.TRUNCATED,
          "decoded " + written + " samples per channel, STREAMINFO announces " + info.totalSamples);
    }
    if (info.totalSamples > 0 && written > info.totalSamples) {
      written = (int) info.totalSamples;
    }
    if (written == 0) {
      throw new AudioInputException(file, Problem.EMPTY, "the FLAC stream holds no samples");
    }
    if (info.hasMd5()) {
      byte[] actual = md5(pcm, written, info.bitsPerSample);
      if (!Arrays.equals(actual, info.md5)) {
        throw new AudioInputException(
            file, Problem.CORRUPT, "decoded audio does not match the MD5 signature in STREAMINFO");
      }
    }
    double scale = 1.0 / (1L << (info.bitsPerSample - 1));
    float[][] out = new float[channels][written];
    for (int c = 0; c < channels; c++) {
      for (int i = 0; i < written; i++) {
        out[c][i] = (float) (pcm[c][i] * scale);
      }
    }
    return new MultichannelAudio(out, info.format(written));
  }

  // ---------------------------------------------------------------- stream header

  private static final class StreamInfo {
    int sampleRate;
    int channels;
    int bitsPerSample;
    long totalSamples;
    byte[] md5;
    int firstFrameOffset;

    boolean hasMd5() {
      for (byte b : md5) {
        if (b != 0) {
          return true;
        }
      }
      return false;
    }

    AudioFormat format(long decodedFrames) {
      long frames = totalSamples > 0 ? totalSamples : decodedFrames;
      return new AudioFormat("FLAC", SampleEncoding.FLAC, bitsPerSample, channels, sampleRate, frames, false);
    }
  }

  private static int skipId3(byte[] b) {
    if (b.length >= 10 && b[0] == 'I' && b[1] == 'D' && b[2] == '3') {
      int size = ((b[6] & 0x7F) << 21) | ((b[7] & 0x7F) << 14) | ((b[8] & 0x7F) << 7) | (b[9] & 0x7F);
      boolean footer = (b[5] & 0x10) != 0;
      return 10 + size + (footer ? 10 : 0);
    }
    return 0;
  }

  private static StreamInfo readHeader(Path file, byte[] bytes) {
    int pos = skipId3(bytes);
    if (pos + 4 > bytes.length) {
      throw new AudioInputException(file, Problem.TRUNCATED, "FLAC header truncated");
    }
    if (!(bytes[pos] == 'f' && bytes[pos + 1] == 'L' && bytes[pos + 2] == 'a' && bytes[pos + 3] == 'C')) {
      throw new AudioInputException(file, Problem.CORRUPT, "not a FLAC stream (no fLaC marker)");
    }
    pos += 4;
    StreamInfo info = null;
    boolean last = false;
    while (!last) {
      if (pos + 4 > bytes.length) {
        throw new AudioInputException(file, Problem.TRUNCATED, "FLAC metadata truncated");
      }
      int head = bytes[pos] & 0xFF;
      last = (head & 0x80) != 0;
      int type = head & 0x7F;
      int length = ((bytes[pos + 1] & 0xFF) << 16) | ((bytes[pos + 2] & 0xFF) << 8) | (bytes[pos + 3] & 0xFF);
      int body = pos + 4;
      if (body + length > bytes.length) {
        throw new AudioInputException(file, Problem.TRUNCATED, "FLAC metadata block runs past the end of the file");
      }
      if (type == 0) {
        if (length < 34) {
          throw new AudioInputException(file, Problem.CORRUPT, "STREAMINFO block too short (" + length + " bytes)");
        }
        FlacBitReader r = new FlacBitReader(bytes, body, body + length);
        r.readUnsigned(16); // min block size
        r.readUnsigned(16); // max block size
        r.readUnsigned(24); // min frame size
        r.readUnsigned(24); // max frame size
        info = new StreamInfo();
        info.sampleRate = r.readUnsignedInt(20);
        info.channels = r.readUnsignedInt(3) + 1;
        info.bitsPerSample = r.readUnsignedInt(5) + 1;
        info.totalSamples = (r.readUnsigned(4) << 32) | r.readUnsigned(32);
        info.md5 = Arrays.copyOfRange(bytes, body + 18, body + 34);
        if (info.sampleRate == 0) {
          throw new AudioInputException(file, Problem.CORRUPT, "STREAMINFO declares sample rate 0");
        }
        if (info.bitsPerSample < 4) {
          throw new AudioInputException(
              file, Problem.UNSUPPORTED_FORMAT, info.bitsPerSample + "-bit FLAC is not supported (4 to 32 bits)");
        }
      } else if (info == null) {
        throw new AudioInputException(file, Problem.CORRUPT, "the first FLAC metadata block is not STREAMINFO");
      }
      pos = body + length;
    }
    if (info == null) {
      throw new AudioInputException(file, Problem.CORRUPT, "no STREAMINFO block");
    }
    if (info.totalSamples > Integer.MAX_VALUE) {
      throw new AudioInputException(file, Problem.UNSUPPORTED_FORMAT, "more than 2^31 samples per channel");
    }
    if (pos >= bytes.length) {
      throw new AudioInputException(file, Problem.EMPTY, "the FLAC stream holds no audio frames");
    }
    info.firstFrameOffset = pos;
    return info;
  }

  // ---------------------------------------------------------------- frames

  private record FrameHeader(int blockSize, int channels, int assignment, int bitsPerSample) {}

  private static boolean isFrameSync(byte[] b, int pos) {
    return pos + 1 < b.length && (b[pos] & 0xFF) == 0xFF && (b[pos + 1] & 0xFE) == 0xF8;
  }

  private static FrameHeader readFrameHeader(Path file, FlacBitReader in, StreamInfo info) {
    int start = in.bytePosition();
    in.readUnsigned(15); // sync (14 bits) + reserved bit, checked by isFrameSync
    in.readUnsigned(1); // blocking strategy: irrelevant for sequential decoding
    int blockSizeCode = in.readUnsignedInt(4);
    int rateCode = in.readUnsignedInt(4);
    int assignment = in.readUnsignedInt(4);
    int sizeCode = in.readUnsignedInt(3);
    if (in.readBit()) {
      throw corrupt(file, start, "reserved header bit set");
    }
    if (in.readUtf8Number() < 0) {
      throw corrupt(file, start, "invalid frame number coding");
    }
    int blockSize;
    if (blockSizeCode == 0) {
      throw corrupt(file, start, "reserved block size code");
    } else if (blockSizeCode == 1) {
      blockSize = 192;
    } else if (blockSizeCode <= 5) {
      blockSize = 576 << (blockSizeCode - 2);
    } else if (blockSizeCode == 6) {
      blockSize = in.readUnsignedInt(8) + 1;
    } else if (blockSizeCode == 7) {
      blockSize = in.readUnsignedInt(16) + 1;
    } else {
      blockSize = 256 << (blockSizeCode - 8);
    }
    switch (rateCode) {
      case 12:
        in.readUnsigned(8);
        break;
      case 13:
      case 14:
        in.readUnsigned(16);
        break;
      case 15:
        throw corrupt(file, start, "invalid sample rate code");
      default:
        break;
    }
    int channels;
    if (assignment < 8) {
      channels = assignment + 1;
    } else if (assignment <= 10) {
      channels = 2;
    } else {
      throw corrupt(file, start, "reserved channel assignment " + assignment);
    }
    int bits;
    switch (sizeCode) {
      case 0:
        bits = info.bitsPerSample;
        break;
      case 1:
        bits = 8;
        break;
      case 2:
        bits = 12;
        break;
      case 4:
        bits = 16;
        break;
      case 5:
        bits = 20;
        break;
      case 6:
        bits = 24;
        break;
      case 7:
        bits = 32;
        break;
      default:
        throw corrupt(file, start, "reserved sample size code");
    }
    if (bits != info.bitsPerSample) {
      throw corrupt(file, start, bits + "-bit frame in a " + info.bitsPerSample + "-bit stream");
    }
    int crcEnd = in.bytePosition();
    int crc = in.readUnsignedInt(8);
    if (FlacBitReader.crc8(bytesOf(in), start, crcEnd) != crc) {
      throw corrupt(file, start, "header fails its CRC-8 check");
    }
    return new FrameHeader(blockSize, channels, assignment, bits);
  }

  private static void readSubframe(
      Path file, FlacBitReader in, long[] out, int blockSize, int bits, long[] residual) {
    int start = in.bytePosition();
    if (in.readBit()) {
      throw corrupt(file, start, "subframe padding bit set");
    }
    int type = in.readUnsignedInt(6);
    int wasted = 0;
    if (in.readBit()) {
      wasted = in.readUnary() + 1;
      if (wasted >= bits) {
        throw corrupt(file, start, "wasted bits exceed the sample size");
      }
    }
    int effectiveBits = bits - wasted;
    if (type == 0) {
      long value = in.readSigned(effectiveBits);
      Arrays.fill(out, 0, blockSize, value);
    } else if (type == 1) {
      for (int i = 0; i < blockSize; i++) {
        out[i] = in.readSigned(effectiveBits);
      }
    } else if (type >= 8 && type <= 12) {
      int order = type - 8;
      readFixed(file, in, out, blockSize, effectiveBits, order, residual);
    } else if (type >= 32) {
      int order = type - 31;
      readLpc(file, in, out, blockSize, effectiveBits, order, residual);
    } else {
      throw corrupt(file, start, "reserved subframe type " + type);
    }
    if (wasted > 0) {
      for (int i = 0; i < blockSize; i++) {
        out[i] <<= wasted;
      }
    }
  }

  private static void readFixed(
      Path file, FlacBitReader in, long[] out, int n, int bits, int order, long[] residual) {
    if (order > n) {
      throw corrupt(file, in.bytePosition(), "predictor order " + order + " exceeds block size " + n);
    }
    for (int i = 0; i < order; i++) {
      out[i] = in.readSigned(bits);
    }
    readResidual(file, in, residual, n, order);
    switch (order) {
      case 0:
        System.arraycopy(residual, 0, out, 0, n);
        break;
      case 1:
        for (int i = 1; i < n; i++) {
          out[i] = residual[i] + out[i - 1];
        }
        break;
      case 2:
        for (int i = 2; i < n; i++) {
          out[i] = residual[i] + 2 * out[i - 1] - out[i - 2];
        }
        break;
      case 3:
        for (int i = 3; i < n; i++) {
          out[i] = residual[i] + 3 * out[i - 1] - 3 * out[i - 2] + out[i - 3];
        }
        break;
      default:
        for (int i = 4; i < n; i++) {
          out[i] = residual[i] + 4 * out[i - 1] - 6 * out[i - 2] + 4 * out[i - 3] - out[i - 4];
        }
        break;
    }
  }

  private static void readLpc(
      Path file, FlacBitReader in, long[] out, int n, int bits, int order, long[] residual) {
    int start = in.bytePosition();
    if (order > n) {
      throw corrupt(file, start, "predictor order " + order + " exceeds block size " + n);
    }
    for (int i = 0; i < order; i++) {
      out[i] = in.readSigned(bits);
    }
    int precision = in.readUnsignedInt(4) + 1;
    if (precision == 16) {
      throw corrupt(file, start, "invalid LPC coefficient precision");
    }
    int shift = (int) in.readSigned(5);
    if (shift < 0) {
      throw corrupt(file, start, "negative LPC shift");
    }
    long[] coefficients = new long[order];
    for (int i = 0; i < order; i++) {
      coefficients[i] = in.readSigned(precision);
    }
    readResidual(file, in, residual, n, order);
    for (int i = order; i < n; i++) {
      long sum = 0;
      for (int j = 0; j < order; j++) {
        sum += coefficients[j] * out[i - 1 - j];
      }
      out[i] = residual[i] + (sum >> shift);
    }
  }

  /** Fills {@code residual[order..n)}. */
  private static void readResidual(Path file, FlacBitReader in, long[] residual, int n, int order) {
    int start = in.bytePosition();
    int method = in.readUnsignedInt(2);
    if (method > 1) {
      throw corrupt(file, start, "reserved residual coding method");
    }
    int parameterBits = method == 0 ? 4 : 5;
    int escape = method == 0 ? 15 : 31;
    int partitionOrder = in.readUnsignedInt(4);
    int partitions = 1 << partitionOrder;
    if (n % partitions != 0 || (n >> partitionOrder) < order) {
      throw corrupt(file, start, "residual partition order " + partitionOrder + " does not fit block size " + n);
    }
    int index = order;
    for (int p = 0; p < partitions; p++) {
      int count = (n >> partitionOrder) - (p == 0 ? order : 0);
      int parameter = in.readUnsignedInt(parameterBits);
      if (parameter == escape) {
        int rawBits = in.readUnsignedInt(5);
        for (int i = 0; i < count; i++) {
          residual[index++] = in.readSigned(rawBits);
        }
      } else {
        for (int i = 0; i < count; i++) {
          residual[index++] = in.readRice(parameter);
        }
      }
    }
  }

  private static void decorrelate(long[][] block, FrameHeader h) {
    int n = h.blockSize;
    switch (h.assignment) {
      case 8: // left, side
        for (int i = 0; i < n; i++) {
          block[1][i] = block[0][i] - block[1][i];
        }
        break;
      case 9: // side, right
        for (int i = 0; i < n; i++) {
          block[0][i] = block[0][i] + block[1][i];
        }
        break;
      case 10: // mid, side
        for (int i = 0; i < n; i++) {
          long side = block[1][i];
          long mid = (block[0][i] << 1) | (side & 1);
          block[0][i] = (mid + side) >> 1;
          block[1][i] = (mid - side) >> 1;
        }
        break;
      default:
        break;
    }
  }

  private static byte[] md5(int[][] pcm, int frames, int bits) {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no MD5", e);
    }
    int bytesPerSample = (bits + 7) / 8;
    int channels = pcm.length;
    byte[] buffer = new byte[4096 * channels * bytesPerSample];
    int used = 0;
    for (int i = 0; i < frames; i++) {
      for (int c = 0; c < channels; c++) {
        int v = pcm[c][i];
        for (int k = 0; k < bytesPerSample; k++) {
          buffer[used++] = (byte) (v >>> (8 * k));
        }
      }
      if (used + channels * bytesPerSample > buffer.length) {
        digest.update(buffer, 0, used);
        used = 0;
      }
    }
    digest.update(buffer, 0, used);
    return digest.digest();
  }

  private static AudioInputException corrupt(Path file, int bytePos, String what) {
    return new AudioInputException(file, Problem.CORRUPT, "FLAC frame near byte " + bytePos + ": " + what);
  }

  private static byte[] bytesOf(FlacBitReader in) {
    return in.data();
  }
}
