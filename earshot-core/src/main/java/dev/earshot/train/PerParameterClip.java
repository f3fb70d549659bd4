package dev.earshot.train;

import dev.earshot.tensor.Tensor;
import dev.earshot.tensor.Temporaries;
import dev.earshot.nn.Parameter;
import java.util.Collection;

/**
 * DINO's gradient clipping (used by ASiT): every parameter's gradient is clipped on its own,
 * g *= maxNorm / (|g| + 1e-6) when that factor is below 1.
 */
public final class PerParameterClip {
  private PerParameterClip() {}

  /**
   * Clips in place and returns the global norm of the gradients before clipping (for logging; non-finite
   * when any gradient is).
   */
  public static double clip(Collection<Parameter> parameters, double maxNorm) {
    double squares = 0;
    try (Temporaries scope = Temporaries.open()) {
      for (Parameter p : parameters) {
        if (!p.trainable() || !p.array().hasGradient()) {
          continue;
        }
        Tensor g = p.array().getGradient();
        double norm = g.norm().getFloat();
        squares += norm * norm;
        double factor = maxNorm / (norm + 1e-6);
        if (factor < 1) {
          g.muli(factor);
        }
      }
    }
    return Math.sqrt(squares);
  }
}
