package dev.earshot.tensor;

import java.util.Arrays;

/**
 * The extents of a tensor, outermost first: {@code (B, N, D)}. Immutable; equal shapes are equal values.
 */
public final class Shape {
  private final long[] dims;

  public Shape(long... dims) {
    this.dims = dims.clone();
    for (long d : this.dims) {
      if (d < 0) {
        throw new IllegalArgumentException("negative extent in " + Arrays.toString(dims));
      }
    }
  }

  /** The extent of axis {@code axis} (negative counts from the end). */
  public long get(int axis) {
    return dims[axis < 0 ? dims.length + axis : axis];
  }

  /** A copy of the extents. */
  public long[] getShape() {
    return dims.clone();
  }

  /** Number of axes. */
  public int dimension() {
    return dims.length;
  }

  /** Number of elements (1 for a scalar). */
  public long size() {
    long n = 1;
    for (long d : dims) {
      n = Math.multiplyExact(n, d);
    }
    return n;
  }

  /** The shape of axes {@code from} (inclusive) to {@code to} (exclusive). */
  public Shape slice(int from, int to) {
    return new Shape(Arrays.copyOfRange(dims, from, to));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Shape s && Arrays.equals(dims, s.dims);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(dims);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("(");
    for (int i = 0; i < dims.length; i++) {
      sb.append(i == 0 ? "" : ", ").append(dims[i]);
    }
    return sb.append(')').toString();
  }
}
