package dev.earshot.nn;

import dev.earshot.tensor.Tensor;
import dev.earshot.tensor.TensorScope;
import java.util.random.RandomGenerator;

/** fc1 (D to hidden), exact-erf GELU, dropout, fc2 (hidden to D), dropout: timm's Mlp. */
public final class Mlp extends Module {
  private final Linear fc1;
  private final Linear fc2;
  private final float dropout;

  public Mlp(TensorScope manager, int dim, int hidden, double dropout, RandomGenerator rng) {
    super(manager);
    this.fc1 = child("fc1", Linear.vit(manager, dim, hidden, true, rng));
    this.fc2 = child("fc2", Linear.vit(manager, hidden, dim, true, rng));
    this.dropout = (float) dropout;
  }

  /** (..., D) to (..., D). */
  public Tensor forward(Tensor x) {
    Tensor h = fc1.forward(x).gelu();
    h = drop(h);
    return drop(fc2.forward(h));
  }

  private Tensor drop(Tensor x) {
    return isTraining() && dropout > 0 ? x.dropout(dropout, true) : x;
  }
}
