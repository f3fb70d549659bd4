package dev.earshot.pretrain.asit;

import dev.earshot.tensor.Tensor;
import dev.earshot.tensor.TensorScope;
import dev.earshot.tensor.Shape;
import dev.earshot.nn.Container;
import dev.earshot.nn.Init;
import dev.earshot.nn.Linear;
import dev.earshot.nn.Module;
import dev.earshot.nn.Parameter;
import java.util.random.RandomGenerator;

/**
 * ASiT's reconstruction head ({@code RECHead}): an MLP D -> hidden -> hidden -> bottleneck, each followed by
 * a GELU, on the patch tokens, then a ConvTranspose2d(bottleneck -> 1, kernel = stride = patch) that paints
 * each token's patch back onto the spectrogram. Because kernel equals stride the transposed convolution is a
 * per-token linear map to patch x patch pixels; it is computed that way. Parameters: {@code mlp.0/2/4},
 * {@code convTrans.weight} (bottleneck, 1, p, p), {@code convTrans.bias} (1).
 */
public final class AsitReconstructionHead extends Module {
  private final Linear fc1;
  private final Linear fc2;
  private final Linear fc3;
  private final Parameter weight;
  private final Parameter bias;
  private final int bottleneck;
  private final int patch;

  public AsitReconstructionHead(TensorScope manager, int dim, int hidden, int bottleneck, int patch, RandomGenerator rng) {
    super(manager);
    this.bottleneck = bottleneck;
    this.patch = patch;
    Container mlp = child("mlp", new Container(manager));
    fc1 = mlp.add("0", Linear.vit(manager, dim, hidden, true, rng));
    fc2 = mlp.add("2", Linear.vit(manager, hidden, hidden, true, rng));
    fc3 = mlp.add("4", Linear.vit(manager, hidden, bottleneck, true, rng));
    Container conv = child("convTrans", new Container(manager));
    // torch's ConvTranspose2d default init: fan in computed from weight dim 1 (out channels = 1) x p x p
    int fanIn = patch * patch;
    this.weight = conv.addParameter("weight", Init.pytorchDefault(fanIn, bottleneck * patch * patch, rng),
        new Shape(bottleneck, 1, patch, patch));
    this.bias = conv.addParameter("bias", Init.pytorchDefault(fanIn, 1, rng), new Shape(1));
  }

  /**
   * (B, N, D) patch tokens (time-major, {@code width} frequency patches per time step) to the (B, T, F)
   * reconstruction, T = N / width x patch, F = width x patch.
   */
  public Tensor forward(Tensor tokens, int width) {
    long b = tokens.getShape().get(0);
    long n = tokens.getShape().get(1);
    long height = n / width;
    Tensor h = fc3.forward(fc2.forward(fc1.forward(tokens).gelu()).gelu()).gelu();
    Tensor kernel = attachToInput(weight.array().reshape(bottleneck, (long) patch * patch), h); // a per-step view
    Tensor pixels = h.matMul(kernel).add(bias.array()); // (B, N, p*p)
    return pixels.reshape(b, height, width, patch, patch).transpose(0, 1, 3, 2, 4)
        .reshape(b, height * patch, (long) width * patch);
  }
}
