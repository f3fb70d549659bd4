package dev.earshot.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import dev.earshot.nn.Init;
import dev.earshot.nn.Module;
import dev.earshot.nn.Parameter;
import java.util.random.RandomGenerator;

/**
 * The patch projection: a Conv2d with one input channel, kernel = patch extent and stride = patch stride,
 * over the spectrogram laid out as the {@link TokenOrder} requires. Child path {@code proj}.
 */
public final class PatchEmbed extends Module {
  private final PatchGrid grid;
  private final Projection proj;

  /** The convolution itself (parameters {@code weight} (D, 1, kH, kW) and {@code bias} (D)). */
  public static final class Projection extends Module {
    final Parameter weight;
    final Parameter bias;

    Projection(NDManager manager, int dim, int kernelH, int kernelW, RandomGenerator rng) {
      super(manager);
      int fanIn = kernelH * kernelW;
      weight = parameter("weight", Init.pytorchDefault(fanIn, dim * fanIn, rng), new Shape(dim, 1, kernelH, kernelW),
          true);
      bias = parameter("bias", Init.pytorchDefault(fanIn, dim, rng), new Shape(dim), false);
    }
  }

  public PatchEmbed(NDManager manager, PatchGrid grid, int dim, RandomGenerator rng) {
    super(manager);
    this.grid = grid;
    boolean freqMajor = grid.order() == TokenOrder.FREQUENCY_MAJOR;
    this.proj = child("proj", new Projection(manager, dim,
        freqMajor ? grid.patchBins() : grid.patchFrames(), freqMajor ? grid.patchFrames() : grid.patchBins(), rng));
  }

  /** (B, T, F) spectrogram to (B, N, D) patch tokens in the grid's token order. */
  public NDArray forward(NDArray input) {
    NDArray image = grid.order() == TokenOrder.FREQUENCY_MAJOR
        ? input.transpose(0, 2, 1).expandDims(1) // (B, 1, F, T)
        : input.expandDims(1); // (B, 1, T, F)
    Shape stride = grid.order() == TokenOrder.FREQUENCY_MAJOR
        ? new Shape(grid.strideBins(), grid.strideFrames())
        : new Shape(grid.strideFrames(), grid.strideBins());
    NDArray out = Conv2d.conv2d(image, proj.weight.array(), proj.bias.array(), stride).singletonOrThrow();
    Shape s = out.getShape(); // (B, D, H', W')
    return out.reshape(s.get(0), s.get(1), s.get(2) * s.get(3)).transpose(0, 2, 1);
  }
}
