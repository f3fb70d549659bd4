package dev.earshot.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import dev.earshot.nn.Parameter;
import java.util.Collection;

/**
 * {@code torch.nn.utils.clip_grad_norm_}: scales all gradients by min(1, max / (norm + 1e-6)) where norm is
 * the L2 norm of all gradients together. (DJL's own clipGrad clamps element-wise, which is different.)
 */
public final class GlobalNormClip {
  private GlobalNormClip() {}

  /** Clips in place and returns the norm before clipping (0 when no parameter has a gradient). */
  public static double clip(Collection<Parameter> parameters, double maxNorm) {
    try (NDScope scope = new NDScope()) {
      NDList norms = new NDList();
      for (Parameter p : parameters) {
        if (p.trainable() && p.array().hasGradient()) {
          norms.add(p.array().getGradient().norm());
        }
      }
      if (norms.isEmpty()) {
        return 0;
      }
      double total = NDArrays.stack(norms).norm().getFloat();
      if (maxNorm > 0 && total > maxNorm) {
        double factor = maxNorm / (total + 1e-6);
        for (Parameter p : parameters) {
          if (p.trainable() && p.array().hasGradient()) {
            NDArray g = p.array().getGradient();
            g.muli(factor);
          }
        }
      }
      scope.suppressNotUsedWarning();
      return total;
    }
  }
}
