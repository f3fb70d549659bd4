package dev.earshot.nn;

import dev.earshot.tensor.Tensor;
import dev.earshot.tensor.TensorScope;
import dev.earshot.tensor.Shape;

/**
 * Stochastic depth (timm's DropPath): in training, each example's residual branch is dropped with
 * probability p and otherwise scaled by 1 / (1 - p). Identity in evaluation or when p is 0. The per-example
 * draws come from the model's {@link RandomSource}.
 */
public final class DropPath extends Module {
  private final double rate;
  private final RandomSource random;

  public DropPath(TensorScope manager, double rate, RandomSource random) {
    super(manager);
    if (rate < 0 || rate >= 1) {
      throw new IllegalArgumentException("drop-path rate must be in [0, 1), got " + rate);
    }
    this.rate = rate;
    this.random = random;
  }

  /** (B, ...) to (B, ...). */
  public Tensor forward(Tensor x) {
    if (!isTraining() || rate == 0) {
      return x;
    }
    long batch = x.getShape().get(0);
    float[] keep = new float[(int) batch];
    float scale = (float) (1 / (1 - rate));
    double[] u = random.perExample(keep.length);
    for (int i = 0; i < keep.length; i++) {
      keep[i] = u[i] < rate ? 0f : scale;
    }
    long[] shape = new long[x.getShape().dimension()];
    java.util.Arrays.fill(shape, 1);
    shape[0] = batch;
    Tensor mask = x.scope().create(keep, new Shape(shape));
    return x.mul(mask);
  }

  public double rate() {
    return rate;
  }
}
