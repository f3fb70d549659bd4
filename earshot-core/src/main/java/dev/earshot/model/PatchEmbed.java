package dev.earshot.model;

import dev.earshot.tensor.Tensor;
import dev.earshot.tensor.TensorScope;
import dev.earshot.tensor.Shape;
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

    Projection(TensorScope manager, int dim, int kernelH, int kernelW, RandomGenerator rng) {
      super(manager);
      int fanIn = kernelH * kernelW;
      weight = parameter("weight", Init.pytorchDefault(fanIn, dim * fanIn, rng), new Shape(dim, 1, kernelH, kernelW),
          true);
      bias = parameter("bias", Init.pytorchDefault(fanIn, dim, rng), new Shape(dim), false);
    }
  }

  public PatchEmbed(TensorScope manager, PatchGrid grid, int dim, RandomGenerator rng) {
    super(manager);
    this.grid = grid;
    boolean freqMajor = grid.order() == TokenOrder.FREQUENCY_MAJOR;
    this.proj = child("proj", new Projection(manager, dim,
        freqMajor ? grid.patchBins() : grid.patchFrames(), freqMajor ? grid.patchFrames() : grid.patchBins(), rng));
  }

  /** (B, T, F) spectrogram to (B, N, D) patch tokens in the grid's token order. */
  public Tensor forward(Tensor input) {
    Tensor image = grid.order() == TokenOrder.FREQUENCY_MAJOR
        ? input.transpose(0, 2, 1).expandDims(1) // (B, 1, F, T)
        : input.expandDims(1); // (B, 1, T, F)
    long[] stride = grid.order() == TokenOrder.FREQUENCY_MAJOR
        ? new long[] {grid.strideBins(), grid.strideFrames()}
        : new long[] {grid.strideFrames(), grid.strideBins()};
    Tensor out = image.conv2d(proj.weight.array(), proj.bias.array(), stride, new long[] {0, 0}, new long[] {1, 1}, 1);
    Shape s = out.getShape(); // (B, D, H', W')
    return out.reshape(s.get(0), s.get(1), s.get(2) * s.get(3)).transpose(0, 2, 1);
  }
}
