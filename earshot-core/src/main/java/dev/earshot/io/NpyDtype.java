package dev.earshot.io;

import java.nio.ByteBuffer;

/** The NumPy element types earshot reads and writes, with their {@code descr} strings (little-endian). */
public enum NpyDtype {
  FLOAT32("<f4", 4),
  FLOAT64("<f8", 8),
  INT64("<i8", 8),
  INT32("<i4", 4),
  INT16("<i2", 2),
  INT8("|i1", 1),
  UINT8("|u1", 1),
  BOOL("|b1", 1);

  private final String descr;
  private final int bytes;

  NpyDtype(String descr, int bytes) {
    this.descr = descr;
    this.bytes = bytes;
  }

  /** NumPy's {@code descr} for this type, e.g. {@code <f4}. */
  public String descr() {
    return descr;
  }

  public int bytes() {
    return bytes;
  }

  public boolean isInteger() {
    return this != FLOAT32 && this != FLOAT64;
  }

  /** The type with the given {@code descr}, or {@code null} if unsupported. */
  static NpyDtype fromDescr(String descr) {
    for (NpyDtype t : values()) {
      if (t.descr.equals(descr) || (t.bytes == 1 && !descr.isEmpty() && t.descr.substring(1).equals(descr.substring(1)))) {
        return t;
      }
    }
    return null;
  }

  double readAsDouble(ByteBuffer b, int offset) {
    switch (this) {
      case FLOAT32:
        return b.getFloat(offset);
      case FLOAT64:
        return b.getDouble(offset);
      default:
        return readAsLong(b, offset);
    }
  }

  long readAsLong(ByteBuffer b, int offset) {
    switch (this) {
      case INT64:
        return b.getLong(offset);
      case INT32:
        return b.getInt(offset);
      case INT16:
        return b.getShort(offset);
      case INT8:
        return b.get(offset);
      case UINT8:
      case BOOL:
        return b.get(offset) & 0xFF;
      default:
        return (long) readAsDouble(b, offset);
    }
  }
}
