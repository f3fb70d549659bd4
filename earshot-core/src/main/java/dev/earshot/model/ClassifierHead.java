package dev.earshot.model;

import dev.earshot.tensor.Tensor;
import dev.earshot.tensor.TensorScope;
import dev.earshot.nn.LayerNorm;
import dev.earshot.nn.Linear;
import dev.earshot.nn.Module;
import java.util.random.RandomGenerator;

/** LayerNorm then Linear on the pooled clip vector (children {@code norm}, {@code linear}). */
public final class ClassifierHead extends Module {
  private final LayerNorm norm;
  private final Linear linear;

  public ClassifierHead(TensorScope manager, int dim, int classes, double eps, RandomGenerator rng) {
    super(manager);
    this.norm = child("norm", new LayerNorm(manager, dim, eps, true));
    this.linear = child("linear", Linear.vit(manager, dim, classes, true, rng));
  }

  /** (B, D) to (B, classes) logits. */
  public Tensor forward(Tensor pooled) {
    return linear.forward(norm.forward(pooled));
  }
}
