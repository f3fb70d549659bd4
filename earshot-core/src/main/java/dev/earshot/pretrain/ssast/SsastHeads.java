package dev.earshot.pretrain.ssast;

import dev.earshot.tensor.Tensor;
import dev.earshot.tensor.TensorScope;
import dev.earshot.tensor.Shape;
import dev.earshot.nn.Init;
import dev.earshot.nn.Linear;
import dev.earshot.nn.Module;
import dev.earshot.nn.Parameter;
import java.util.random.RandomGenerator;

/**
 * SSAST's pretraining parameters beside the encoder, with SSAST's key names: the discriminative head
 * {@code cpredlayer} (Linear D->D, ReLU, Linear D->patch size), the generative head {@code gpredlayer} (same
 * shape) and the learned {@code mask_embed} (1, 1, D) that replaces masked patch tokens.
 */
public final class SsastHeads extends Module {
  private final Mlp2 cpred;
  private final Mlp2 gpred;
  private final Parameter maskEmbed;

  /** Linear-ReLU-Linear with children "0" and "2", as nn.Sequential names them. */
  static final class Mlp2 extends Module {
    private final Linear first;
    private final Linear second;

    Mlp2(TensorScope manager, int dim, int out, RandomGenerator rng) {
      super(manager);
      first = child("0", Linear.pytorchDefault(manager, dim, dim, true, rng));
      second = child("2", Linear.pytorchDefault(manager, dim, out, true, rng));
    }

    Tensor forward(Tensor x) {
      return second.forward(first.forward(x).relu());
    }
  }

  public SsastHeads(TensorScope manager, int dim, int patchSize, RandomGenerator rng) {
    super(manager);
    cpred = child("cpredlayer", new Mlp2(manager, dim, patchSize, rng));
    gpred = child("gpredlayer", new Mlp2(manager, dim, patchSize, rng));
    maskEmbed = parameter("mask_embed", Init.xavierNormal(dim, dim, dim, rng), new Shape(1, 1, dim), false);
  }

  /** (..., D) to (..., patch size) for the InfoNCE. */
  public Tensor discriminative(Tensor h) {
    return cpred.forward(h);
  }

  /** (..., D) to (..., patch size) for the reconstruction. */
  public Tensor generative(Tensor h) {
    return gpred.forward(h);
  }

  public Parameter maskEmbed() {
    return maskEmbed;
  }
}
