package dev.earshot.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.random.RandomGenerator;

/**
 * A 2-D convolution with stride 1, "same" zero padding (odd kernels) and channel groups: parameters
 * {@code weight} (out, in / groups, k, k) and {@code bias} (out), PyTorch layout and default initialisation
 * (uniform +-1/sqrt(fan in), fan in = in / groups * k * k).
 */
public final class Conv2d extends Module {
  private final Parameter weight;
  private final Parameter bias;
  private final int kernel;
  private final int groups;

  public Conv2d(NDManager manager, int in, int out, int kernel, int groups, RandomGenerator rng) {
    super(manager);
    if (kernel % 2 == 0) {
      throw new IllegalArgumentException("kernel " + kernel + ": only odd kernels keep the grid size");
    }
    if (in % groups != 0 || out % groups != 0) {
      throw new IllegalArgumentException(in + " -> " + out + " channels are not divisible into " + groups + " groups");
    }
    this.kernel = kernel;
    this.groups = groups;
    int fanIn = in / groups * kernel * kernel;
    this.weight = parameter("weight", Init.pytorchDefault(fanIn, out * fanIn, rng),
        new Shape(out, in / groups, kernel, kernel), true);
    this.bias = parameter("bias", Init.pytorchDefault(fanIn, out, rng), new Shape(out), false);
  }

  /** (B, in, H, W) to (B, out, H, W). */
  public NDArray forward(NDArray x) {
    int pad = kernel / 2;
    return ai.djl.nn.convolutional.Conv2d.conv2d(x, weight.array(), bias.array(), new Shape(1, 1),
        new Shape(pad, pad), new Shape(1, 1), groups).singletonOrThrow();
  }
}
