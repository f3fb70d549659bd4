package dev.earshot.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;
import java.util.random.RandomGenerator;

/** fc1 (D to hidden), exact-erf GELU, dropout, fc2 (hidden to D), dropout: timm's Mlp. */
public final class Mlp extends Module {
  private final Linear fc1;
  private final Linear fc2;
  private final float dropout;

  public Mlp(NDManager manager, int dim, int hidden, double dropout, RandomGenerator rng) {
    super(manager);
    this.fc1 = child("fc1", Linear.vit(manager, dim, hidden, true, rng));
    this.fc2 = child("fc2", Linear.vit(manager, hidden, dim, true, rng));
    this.dropout = (float) dropout;
  }

  /** (..., D) to (..., D). */
  public NDArray forward(NDArray x) {
    NDArray h = Activation.gelu(fc1.forward(x));
    h = drop(h);
    return drop(fc2.forward(h));
  }

  private NDArray drop(NDArray x) {
    return isTraining() && dropout > 0 ? ai.djl.nn.norm.Dropout.dropout(x, dropout, true).singletonOrThrow() : x;
  }
}
