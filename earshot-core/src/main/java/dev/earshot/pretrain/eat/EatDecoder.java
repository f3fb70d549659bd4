package dev.earshot.pretrain.eat;

import dev.earshot.tensor.Tensor;
import dev.earshot.tensor.TensorScope;
import dev.earshot.nn.Container;
import dev.earshot.nn.Conv2d;
import dev.earshot.nn.LayerNorm;
import dev.earshot.nn.Linear;
import dev.earshot.nn.Module;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * EAT's lightweight decoder (data2vec 2.0 {@code Decoder2d}): the token sequence laid out on its
 * time x frequency grid, {@code layers} residual blocks of [grouped Conv2d (kernel k, "same" padding) ->
 * LayerNorm over channels without affine (eps 1e-5) -> GELU], then a per-token Linear projection. Parameter
 * paths match the official checkpoint under {@code modality_encoders.IMAGE.decoder.}:
 * {@code blocks.<i>.0.weight/bias}, {@code proj.weight/bias}.
 */
public final class EatDecoder extends Module {
  private final List<Conv2d> convs = new ArrayList<>();
  private final List<LayerNorm> norms = new ArrayList<>();
  private final Linear proj;
  private final int dim;

  /**
   * @param dim encoder width (EAT keeps the decoder at the same width)
   * @param layers residual conv blocks (EAT-base 6, large 3)
   * @param kernel conv kernel (base 3, large 5)
   * @param groups channel groups (16)
   */
  public EatDecoder(TensorScope manager, int dim, int layers, int kernel, int groups, RandomGenerator rng) {
    super(manager);
    this.dim = dim;
    Container blocks = child("blocks", new Container(manager));
    for (int i = 0; i < layers; i++) {
      Container block = blocks.add(Integer.toString(i), new Container(manager));
      convs.add(block.add("0", new Conv2d(manager, dim, dim, kernel, groups, rng)));
      norms.add(new LayerNorm(manager, dim, 1e-5, false));
    }
    this.proj = child("proj", Linear.pytorchDefault(manager, dim, dim, true, rng));
  }

  /**
   * (B, N, D) tokens in time-major order (index t * width + f) to (B, N, D) predictions.
   *
   * @param height time patches
   * @param width frequency patches
   */
  public Tensor forward(Tensor tokens, int height, int width) {
    long b = tokens.getShape().get(0);
    long n = tokens.getShape().get(1);
    Tensor x = tokens.transpose(0, 2, 1).reshape(b, dim, height, width); // (B, D, H, W)
    for (int i = 0; i < convs.size(); i++) {
      Tensor y = convs.get(i).forward(x);
      y = norms.get(i).forward(y.transpose(0, 2, 3, 1)).transpose(0, 3, 1, 2); // norm over channels
      x = y.gelu().add(x);
    }
    return proj.forward(x.reshape(b, dim, n).transpose(0, 2, 1));
  }
}
