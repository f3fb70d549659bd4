package dev.earshot.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Tensors from host values whose memory belongs to PyTorch — the only way earshot creates tensors from Java
 * data, and the only way it multiplies or divides by a constant inside a differentiable computation.
 *
 * <p>Why. On CPU, DJL 0.35 builds tensors from Java data with {@code torch::from_blob} over a direct
 * ByteBuffer that only the Java {@code NDArray} object keeps alive ({@code NDArray.set} aliases the same way),
 * and its scalar operators ({@code mul(Number)}, {@code div(Number)}, {@code pow(Number)}, ...) create such a
 * 0-d tensor and close it at once. Autograd saves the operands of a multiplication or division for the
 * backward pass, so after the next garbage collection the backward pass can read freed memory: random NaN
 * or garbage gradients (observed in SSAST pretraining; gone with GC disabled; reproduced by
 * {@code ScalarLifetimeTest}). Copying into PyTorch-owned memory and keeping scalar operands in the step's
 * manager avoids both.
 */
public final class Tensors {
  private Tensors() {}

  /** A float32 tensor of {@code shape} holding {@code values} (C order), owned by PyTorch. */
  public static NDArray of(NDManager manager, float[] values, Shape shape) {
    try (NDArray aliased = manager.create(values, shape)) {
      return aliased.duplicate();
    }
  }

  /** An int64 tensor of {@code shape} holding {@code values} (C order), owned by PyTorch. */
  public static NDArray of(NDManager manager, long[] values, Shape shape) {
    try (NDArray aliased = manager.create(values, shape)) {
      return aliased.duplicate();
    }
  }

  /** A 0-d float32 tensor, owned by PyTorch, living in {@code manager}. */
  public static NDArray scalar(NDManager manager, float value) {
    return of(manager, new float[] {value}, new Shape());
  }

  /** {@code x * value}, safe under autograd (the constant lives in x's manager). */
  public static NDArray times(NDArray x, float value) {
    return x.mul(scalar(x.getManager(), value));
  }

  /** {@code x / value}, safe under autograd. */
  public static NDArray dividedBy(NDArray x, float value) {
    return x.div(scalar(x.getManager(), value));
  }
}
