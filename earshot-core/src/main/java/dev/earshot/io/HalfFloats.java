package dev.earshot.io;

/** IEEE 754 binary16 to float conversion (Java 17 has no {@code Float.float16ToFloat}). */
final class HalfFloats {
  private HalfFloats() {}

  static float halfToFloat(short bits) {
    int h = bits & 0xFFFF;
    int sign = (h >>> 15) << 31;
    int exponent = (h >>> 10) & 0x1F;
    int mantissa = h & 0x3FF;
    if (exponent == 0) {
      if (mantissa == 0) {
        return Float.intBitsToFloat(sign);
      }
      // subnormal half: value = mantissa * 2^-24
      float v = mantissa * 0x1p-24f;
      return sign == 0 ? v : -v;
    }
    if (exponent == 0x1F) {
      return Float.intBitsToFloat(sign | 0x7F800000 | (mantissa << 13));
    }
    return Float.intBitsToFloat(sign | ((exponent - 15 + 127) << 23) | (mantissa << 13));
  }
}
