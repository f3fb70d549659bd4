package dev.earshot.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * An n-dimensional array as stored in a NumPy {@code .npy} file: element type, C-order shape and the raw
 * little-endian bytes. Conversions to Java arrays widen or narrow as documented per method.
 *
 * @param dtype element type
 * @param shape dimensions, C order (last index fastest); empty for a scalar
 * @param data little-endian element bytes, {@code product(shape) * dtype.bytes()} long
 */
public record NpyArray(NpyDtype dtype, int[] shape, byte[] data) {

  public NpyArray {
    Objects.requireNonNull(dtype, "dtype");
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(data, "data");
    long count = 1;
    for (int d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
      }
      count *= d;
    }
    if (count * dtype.bytes() != data.length) {
      throw new IllegalArgumentException(
          "shape " + Arrays.toString(shape) + " of " + dtype + " needs " + count * dtype.bytes() + " bytes, got "
              + data.length);
    }
  }

  /** A float32 array of the given shape holding {@code values} (C order). */
  public static NpyArray ofFloats(float[] values, int... shape) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(values);
    return new NpyArray(NpyDtype.FLOAT32, shape.clone(), b.array());
  }

  /** A float32 (rows, columns) array from a rectangular matrix. */
  public static NpyArray ofMatrix(float[][] matrix) {
    int rows = matrix.length;
    int cols = rows == 0 ? 0 : matrix[0].length;
    float[] flat = new float[rows * cols];
    for (int r = 0; r < rows; r++) {
      if (matrix[r].length != cols) {
        throw new IllegalArgumentException("ragged matrix: row " + r + " has " + matrix[r].length + " columns");
      }
      System.arraycopy(matrix[r], 0, flat, r * cols, cols);
    }
    return ofFloats(flat, rows, cols);
  }

  /** An int64 array of the given shape. */
  public static NpyArray ofLongs(long[] values, int... shape) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    b.asLongBuffer().put(values);
    return new NpyArray(NpyDtype.INT64, shape.clone(), b.array());
  }

  /** Number of elements. */
  public int size() {
    return data.length / dtype.bytes();
  }

  /** Elements as float (float64 and integers are converted). */
  public float[] toFloats() {
    double[] d = toDoubles();
    float[] out = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      out[i] = (float) d[i];
    }
    return out;
  }

  /** Elements as double. */
  public double[] toDoubles() {
    ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    int n = size();
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = dtype.readAsDouble(b, i * dtype.bytes());
    }
    return out;
  }

  /** Elements as long (integer types only). */
  public long[] toLongs() {
    if (!dtype.isInteger()) {
      throw new IllegalStateException("array of " + dtype + " is not integer");
    }
    ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    int n = size();
    long[] out = new long[n];
    for (int i = 0; i < n; i++) {
      out[i] = dtype.readAsLong(b, i * dtype.bytes());
    }
    return out;
  }

  /** A 2-D array as rows of floats. */
  public float[][] toMatrix() {
    if (shape.length != 2) {
      throw new IllegalStateException("expected a 2-D array, shape is " + Arrays.toString(shape));
    }
    float[] flat = toFloats();
    float[][] out = new float[shape[0]][shape[1]];
    for (int r = 0; r < shape[0]; r++) {
      System.arraycopy(flat, r * shape[1], out[r], 0, shape[1]);
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NpyArray other
        && dtype == other.dtype
        && Arrays.equals(shape, other.shape)
        && Arrays.equals(data, other.data);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * dtype.hashCode() + Arrays.hashCode(shape)) + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "NpyArray[" + dtype + " " + Arrays.toString(shape) + "]";
  }
}
