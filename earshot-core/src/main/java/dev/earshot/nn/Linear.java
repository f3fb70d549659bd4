package dev.earshot.nn;

import dev.earshot.tensor.Tensor;
import dev.earshot.tensor.TensorScope;
import dev.earshot.tensor.Shape;
import java.util.random.RandomGenerator;

/** y = x W^T + b. Parameters {@code weight} (out, in) and {@code bias} (out), PyTorch layout. */
public final class Linear extends Module {
  private final Parameter weight;
  private final Parameter bias;
  private final int inFeatures;
  private final int outFeatures;

  /** Initialised like timm ViT linears: weight trunc-normal(0.02), bias 0. */
  public static Linear vit(TensorScope manager, int in, int out, boolean bias, RandomGenerator rng) {
    return new Linear(manager, in, out, bias, Init.truncatedNormal(in * out, 0.02, rng), Init.zeros(out));
  }

  /** Initialised like torch.nn.Linear: weight and bias U(-1/sqrt(in), 1/sqrt(in)). */
  public static Linear pytorchDefault(TensorScope manager, int in, int out, boolean bias, RandomGenerator rng) {
    return new Linear(manager, in, out, bias, Init.pytorchDefault(in, in * out, rng), Init.pytorchDefault(in, out, rng));
  }

  /** A linear layer with the given initial values ({@code biasValues} ignored when {@code bias} is false). */
  public Linear(TensorScope manager, int in, int out, boolean bias, float[] weightValues, float[] biasValues) {
    super(manager);
    this.inFeatures = in;
    this.outFeatures = out;
    this.weight = parameter("weight", weightValues, new Shape(out, in), true);
    this.bias = bias ? parameter("bias", biasValues, new Shape(out), false) : null;
  }

  /** (..., in) to (..., out). */
  public Tensor forward(Tensor x) {
    return x.linear(weight.array(), bias == null ? null : bias.array());
  }

  public int inFeatures() {
    return inFeatures;
  }

  public int outFeatures() {
    return outFeatures;
  }
}
