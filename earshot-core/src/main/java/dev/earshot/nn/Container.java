package dev.earshot.nn;

import dev.earshot.tensor.TensorScope;
import dev.earshot.tensor.Shape;

/**
 * A module that only names its children and parameters, for paths such as {@code blocks.3} or {@code mlp.0}
 * that PyTorch's ModuleList and Sequential produce.
 */
public final class Container extends Module {
  public Container(TensorScope manager) {
    super(manager);
  }

  /** Registers {@code module} under {@code name} and returns it. */
  public <M extends Module> M add(String name, M module) {
    return child(name, module);
  }

  /** Registers a parameter (weight decay for tensors of two or more dimensions). */
  public Parameter addParameter(String name, float[] values, Shape shape) {
    return parameter(name, values, shape, shape.dimension() > 1);
  }
}
