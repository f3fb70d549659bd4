package dev.earshot.nn;

import dev.earshot.tensor.Tensor;
import dev.earshot.tensor.TensorScope;
import dev.earshot.tensor.Shape;

/**
 * Layer normalisation over the last axis: (x - mean) / sqrt(var + eps) * weight + bias. Parameters
 * {@code weight} and {@code bias} (dim), initialised to 1 and 0; without {@code affine} there are none.
 */
public final class LayerNorm extends Module {
  private final int dim;
  private final float eps;
  private final Parameter weight;
  private final Parameter bias;
  private final Tensor ones;
  private final Tensor zeros;

  public LayerNorm(TensorScope manager, int dim, double eps, boolean affine) {
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
  public Tensor forward(Tensor x) {
    Tensor gamma = weight == null ? ones : weight.array();
    Tensor beta = bias == null ? zeros : bias.array();
    return x.layerNorm(new long[] {dim}, gamma, beta, eps);
  }

  public double eps() {
    return eps;
  }
}
