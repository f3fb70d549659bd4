package dev.earshot.nn;

import dev.earshot.tensor.Tensor;
import dev.earshot.tensor.TensorScope;
import dev.earshot.tensor.Shape;
import java.util.random.RandomGenerator;

/**
 * A bias-free linear layer under {@code torch.nn.utils.weight_norm} (dim 0): W = g * v / |v| row by row.
 * Parameters {@code weight_g} (out, 1) and {@code weight_v} (out, in), PyTorch's names. As in DINO and ASiT
 * the scale g is fixed at 1 and not trained, so only the direction v learns.
 */
public final class WeightNormLinear extends Module {
  private final Parameter g;
  private final Parameter v;

  public WeightNormLinear(TensorScope manager, int in, int out, RandomGenerator rng) {
    super(manager);
    this.g = parameter("weight_g", Init.ones(out), new Shape(out, 1), false);
    this.v = parameter("weight_v", Init.pytorchDefault(in, in * out, rng), new Shape(out, in), true);
    g.setTrainable(false);
  }

  /** (..., in) to (..., out). */
  public Tensor forward(Tensor x) {
    // every intermediate starts from a parameter, so it is moved to the input's (per-step) manager
    Tensor norms = attachToInput(v.array().norm(new int[] {1}, true), x);
    Tensor direction = attachToInput(v.array().div(norms), x); // (out, in), unit rows
    Tensor weight = direction.mul(g.array());
    return x.linear(weight, null);
  }
}
