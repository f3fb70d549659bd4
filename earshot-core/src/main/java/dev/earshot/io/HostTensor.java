package dev.earshot.io;

import java.util.Arrays;
import java.util.Objects;

/**
 * A tensor held on the Java heap while weights move between files and models: its shape and its values,
 * as float32 for floating-point sources (float16 and bfloat16 widened exactly, float64 rounded) or as int64
 * for integer sources.
 *
 * @param shape dimensions, C order; empty for a scalar
 * @param floats the values when floating point, else null
 * @param longs the values when integer, else null
 */
public record HostTensor(long[] shape, float[] floats, long[] longs) {

  public HostTensor {
    Objects.requireNonNull(shape, "shape");
    if ((floats == null) == (longs == null)) {
      throw new IllegalArgumentException("exactly one of floats and longs must be given");
    }
    long n = numel(shape);
    long have = floats != null ? floats.length : longs.length;
    if (n != have) {
      throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n + " values, got " + have);
    }
  }

  public static HostTensor ofFloats(float[] values, long... shape) {
    return new HostTensor(shape.clone(), values, null);
  }

  public static HostTensor ofLongs(long[] values, long... shape) {
    return new HostTensor(shape.clone(), null, values);
  }

  /** Product of the dimensions. */
  public static long numel(long[] shape) {
    long n = 1;
    for (long d : shape) {
      n = Math.multiplyExact(n, d);
    }
    return n;
  }

  public boolean isFloating() {
    return floats != null;
  }

  public int size() {
    return floats != null ? floats.length : longs.length;
  }

  /** Values as float (integers converted). */
  public float[] asFloats() {
    if (floats != null) {
      return floats;
    }
    float[] out = new float[longs.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = longs[i];
    }
    return out;
  }

  /** The single value of a one-element tensor, as long. */
  public long scalarLong() {
    if (size() != 1) {
      throw new IllegalStateException("not a scalar: shape " + Arrays.toString(shape));
    }
    return longs != null ? longs[0] : (long) floats[0];
  }

  /** The same values under another shape with the same element count. */
  public HostTensor reshape(long... newShape) {
    return new HostTensor(newShape.clone(), floats, longs);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HostTensor t && Arrays.equals(shape, t.shape) && Arrays.equals(floats, t.floats)
        && Arrays.equals(longs, t.longs);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(shape) * 31 + Arrays.hashCode(floats) * 7 + Arrays.hashCode(longs);
  }

  @Override
  public String toString() {
    return "HostTensor" + Arrays.toString(shape) + (floats != null ? " float" : " long");
  }
}
