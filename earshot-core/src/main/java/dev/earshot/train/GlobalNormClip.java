package dev.earshot.train;

import dev.earshot.tensor.Tensor;
import dev.earshot.tensor.Temporaries;
import dev.earshot.nn.Parameter;
import java.util.Collection;

/**
 * {@code torch.nn.utils.clip_grad_norm_}: scales all gradients by min(1, max / (norm + 1e-6)) where norm is
 * the L2 norm of all gradients together.
 */
public final class GlobalNormClip {
  private GlobalNormClip() {}

  /** Clips in place and returns the norm before clipping (0 when no parameter has a gradient). */
  public static double clip(Collection<Parameter> parameters, double maxNorm) {
    try (Temporaries scope = Temporaries.open()) {
      java.util.List<Tensor> norms = new java.util.ArrayList<>();
      for (Parameter p : parameters) {
        if (p.trainable() && p.array().hasGradient()) {
          norms.add(p.array().getGradient().norm());
        }
      }
      if (norms.isEmpty()) {
        return 0;
      }
      double total = Tensor.stack(norms, 0).norm().getFloat();
      if (maxNorm > 0 && total > maxNorm) {
        double factor = maxNorm / (total + 1e-6);
        for (Parameter p : parameters) {
          if (p.trainable() && p.array().hasGradient()) {
            Tensor g = p.array().getGradient();
            g.muli(factor);
          }
        }
      }
      return total;
    }
  }
}
