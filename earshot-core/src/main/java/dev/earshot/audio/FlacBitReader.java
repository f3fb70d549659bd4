package dev.earshot.audio;

/**
 * Big-endian bit reader over a byte array, as FLAC frames need it: fixed-width unsigned and signed fields,
 * unary codes, Rice-coded residuals, and CRC-8 / CRC-16 over byte ranges.
 *
 * <p>Reading past the end throws {@link EndOfData}, which the decoder turns into a truncation error.
 */
final class FlacBitReader {
  /** Signals that a read ran past the end of the input. */
  static final class EndOfData extends RuntimeException {
    private static final long serialVersionUID = 1L;

    EndOfData() {
      super("end of data", null, false, false);
    }
  }

  private static final int[] CRC8_TABLE = new int[256];
  private static final int[] CRC16_TABLE = new int[256];

  static {
    for (int i = 0; i < 256; i++) {
      int crc8 = i;
      for (int j = 0; j < 8; j++) {
        crc8 = (crc8 & 0x80) != 0 ? ((crc8 << 1) ^ 0x07) & 0xFF : (crc8 << 1) & 0xFF;
      }
      CRC8_TABLE[i] = crc8;
      int crc16 = i << 8;
      for (int j = 0; j < 8; j++) {
        crc16 = (crc16 & 0x8000) != 0 ? ((crc16 << 1) ^ 0x8005) & 0xFFFF : (crc16 << 1) & 0xFFFF;
      }
      CRC16_TABLE[i] = crc16;
    }
  }

  private final byte[] data;
  private final int end;
  private int bytePos;
  private int bitPos; // 0..7 within data[bytePos], counted from the most significant bit

  FlacBitReader(byte[] data, int start, int end) {
    this.data = data;
    this.bytePos = start;
    this.end = end;
  }

  /** The underlying bytes (shared, not copied). */
  byte[] data() {
    return data;
  }

  /** Byte offset of the next unread bit's byte (exact when {@link #isByteAligned()}). */
  int bytePosition() {
    return bytePos;
  }

  boolean isByteAligned() {
    return bitPos == 0;
  }

  boolean atEnd() {
    return bytePos >= end;
  }

  void alignToByte() {
    if (bitPos != 0) {
      bitPos = 0;
      bytePos++;
    }
  }

  void seekByte(int position) {
    bytePos = position;
    bitPos = 0;
  }

  /** Reads {@code n} (0..32) bits as an unsigned value. */
  long readUnsigned(int n) {
    long value = 0;
    int remaining = n;
    while (remaining > 0) {
      if (bytePos >= end) {
        throw new EndOfData();
      }
      int available = 8 - bitPos;
      int take = Math.min(available, remaining);
      int current = data[bytePos] & 0xFF;
      int bits = (current >>> (available - take)) & ((1 << take) - 1);
      value = (value << take) | bits;
      remaining -= take;
      bitPos += take;
      if (bitPos == 8) {
        bitPos = 0;
        bytePos++;
      }
    }
    return value;
  }

  int readUnsignedInt(int n) {
    return (int) readUnsigned(n);
  }

  /** Reads {@code n} (1..33) bits as a two's complement value. */
  long readSigned(int n) {
    if (n == 0) {
      return 0;
    }
    long v;
    if (n > 32) {
      v = (readUnsigned(n - 32) << 32) | readUnsigned(32);
    } else {
      v = readUnsigned(n);
    }
    return (v << (64 - n)) >> (64 - n);
  }

  boolean readBit() {
    return readUnsigned(1) != 0;
  }

  /** Counts zero bits up to and including the terminating one bit; returns the count of zeros. */
  int readUnary() {
    int count = 0;
    while (true) {
      if (bytePos >= end) {
        throw new EndOfData();
      }
      int current = (data[bytePos] << bitPos) & 0xFF;
      if (current == 0) {
        count += 8 - bitPos;
        bitPos = 0;
        bytePos++;
        continue;
      }
      int leading = Integer.numberOfLeadingZeros(current) - 24;
      count += leading;
      bitPos += leading + 1;
      if (bitPos == 8) {
        bitPos = 0;
        bytePos++;
      }
      return count;
    }
  }

  /** One Rice-coded signed value with parameter {@code k} (zig-zag folded). */
  long readRice(int k) {
    long quotient = readUnary();
    long folded = (quotient << k) | (k == 0 ? 0 : readUnsigned(k));
    return (folded >>> 1) ^ -(folded & 1);
  }

  /** The FLAC "UTF-8" coded frame or sample number (up to 36 bits). */
  long readUtf8Number() {
    int first = readUnsignedInt(8);
    if ((first & 0x80) == 0) {
      return first;
    }
    int extra;
    long value;
    if ((first & 0xE0) == 0xC0) {
      extra = 1;
      value = first & 0x1F;
    } else if ((first & 0xF0) == 0xE0) {
      extra = 2;
      value = first & 0x0F;
    } else if ((first & 0xF8) == 0xF0) {
      extra = 3;
      value = first & 0x07;
    } else if ((first & 0xFC) == 0xF8) {
      extra = 4;
      value = first & 0x03;
    } else if ((first & 0xFE) == 0xFC) {
      extra = 5;
      value = first & 0x01;
    } else if (first == 0xFE) {
      extra = 6;
      value = 0;
    } else {
      return -1;
    }
    for (int i = 0; i < extra; i++) {
      int next = readUnsignedInt(8);
      if ((next & 0xC0) != 0x80) {
        return -1;
      }
      value = (value << 6) | (next & 0x3F);
    }
    return value;
  }

  static int crc8(byte[] data, int from, int to) {
    int crc = 0;
    for (int i = from; i < to; i++) {
      crc = CRC8_TABLE[(crc ^ data[i]) & 0xFF];
    }
    return crc;
  }

  static int crc16(byte[] data, int from, int to) {
    int crc = 0;
    for (int i = from; i < to; i++) {
      crc = ((crc << 8) & 0xFFFF) ^ CRC16_TABLE[((crc >>> 8) ^ data[i]) & 0xFF];
    }
    return crc;
  }
}
