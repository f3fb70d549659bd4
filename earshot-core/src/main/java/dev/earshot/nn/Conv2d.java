package dev.earshot.nn;

import dev.earshot.tensor.Tensor;
import dev.earshot.tensor.TensorScope;
import dev.earshot.tensor.Shape;
import java.util.random.RandomGenerator;

/**
 * A 2-D convolution with a square kernel, stride and zero padding, channel groups and an optional bias:
 * parameters {@code weight} (out, in / groups, k, k) and {@code bias} (out), PyTorch layout and default
 * initialisation (uniform +-1/sqrt(fan in), fan in = in / groups * k * k).
 */
public final class Conv2d extends Module {
  private final Parameter weight;
  private final Parameter bias;
  private final int stride;
  private final int padding;
  private final int groups;

  /** Stride 1 and "same" padding for an odd kernel, with bias. */
  public Conv2d(TensorScope manager, int in, int out, int kernel, int groups, RandomGenerator rng) {
    this(manager, in, out, kernel, 1, oddHalf(kernel), groups, true, rng);
  }

  public Conv2d(TensorScope manager, int in, int out, int kernel, int stride, int padding, int groups, boolean bias,
      RandomGenerator rng) {
    super(manager);
    if (in % groups != 0 || out % groups != 0) {
      throw new IllegalArgumentException(in + " -> " + out + " channels are not divisible into " + groups + " groups");
    }
    this.stride = stride;
    this.padding = padding;
    this.groups = groups;
    int fanIn = in / groups * kernel * kernel;
    this.weight = parameter("weight", Init.pytorchDefault(fanIn, out * fanIn, rng),
        new Shape(out, in / groups, kernel, kernel), true);
    this.bias = bias ? parameter("bias", Init.pytorchDefault(fanIn, out, rng), new Shape(out), false) : null;
  }

  private static int oddHalf(int kernel) {
    if (kernel % 2 == 0) {
      throw new IllegalArgumentException("kernel " + kernel + ": only odd kernels keep the grid size");
    }
    return kernel / 2;
  }

  /** (B, in, H, W) to (B, out, H', W'), H' = floor((H + 2 padding - k) / stride) + 1. */
  public Tensor forward(Tensor x) {
    return x.conv2d(weight.array(), bias == null ? null : bias.array(), new long[] {stride, stride},
        new long[] {padding, padding}, new long[] {1, 1}, groups);
  }
}
