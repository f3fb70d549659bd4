package dev.earshot.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Layer normalisation over the last axis: (x - mean) / sqrt(var + eps) * weight + bias. Parameters
 * {@code weight} and {@code bias} (dim), initialised to 1 and 0; without {@code affine} there are none.
 */
public final class LayerNorm extends Module {
  private final int dim;
  private final float eps;
  private final Parameter weight;
  private final Parameter bias;
  private final NDArray ones;
  private final NDArray zeros;

  public LayerNorm(NDManager manager, int dim, double eps, boolean affine) {
    super(manager);
    this.dim = dim;
    this.eps = (float) eps;
    if (affine) {
      weight = parameter("weight", Init.ones(dim), new Shape(dim), false);
      bias = parameter("bias", Init.zeros(dim), new Shape(dim), false);
      ones = null;
      zeros = null;
    } else {
      weight = null;
      bias = null;
      ones = manager.ones(new Shape(dim));
      zeros = manager.zeros(new Shape(dim));
    }
  }

  /** (..., dim) to (..., dim). */
  public NDArray forward(NDArray x) {
    NDArray gamma = weight == null ? ones : weight.array();
    NDArray beta = bias == null ? zeros : bias.array();
    return ai.djl.nn.norm.LayerNorm.layerNorm(x, new Shape(dim), gamma, beta, eps).singletonOrThrow();
  }

  public double eps() {
    return eps;
  }
}
