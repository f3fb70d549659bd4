package dev.earshot.nn;

import dev.earshot.tensor.Tensor;
import java.util.Objects;

/**
 * A tensor owned by a {@link Module}: weights, biases, tokens, position tables.
 *
 * <p>{@code trainable} parameters receive gradients; frozen ones (EMA teachers, fixed sin-cos tables) never
 * do. {@code weightDecay} says whether an optimizer should decay it: false for biases, norms, tokens and
 * positions, as every method in earshot trains them.
 */
public final class Parameter {
  private Tensor array;
  private boolean trainable;
  private final boolean weightDecay;

  Parameter(Tensor array, boolean trainable, boolean weightDecay) {
    this.array = Objects.requireNonNull(array, "array");
    this.trainable = trainable;
    this.weightDecay = weightDecay;
    array.setRequiresGradient(trainable);
  }

  /** The current value (owned by the module's manager). */
  public Tensor array() {
    return array;
  }

  public boolean trainable() {
    return trainable;
  }

  public boolean weightDecay() {
    return weightDecay;
  }

  /** Freezes or unfreezes the parameter. */
  public void setTrainable(boolean trainable) {
    this.trainable = trainable;
    array.setRequiresGradient(trainable);
  }

  /**
   * Replaces the value with a copy of {@code values} (same shape required), keeping the trainable state.
   */
  public void set(Tensor values) {
    if (!values.getShape().equals(array.getShape())) {
      throw new IllegalArgumentException(
          "shape " + values.getShape() + " does not match parameter shape " + array.getShape());
    }
    // A host round trip, not values.toType(type, true): libtorch's to() returns the same tensor when nothing
    // changes, and the requires-grad flag set below would then switch gradients off for the source too.
    Tensor copy = array.scope().create(values.toFloatArray(), array.getShape());
    array.close();
    array = copy;
    array.setRequiresGradient(trainable);
  }

  /** Replaces the value with {@code values} (C order), keeping the shape and trainable state. */
  public void set(float[] values) {
    if (values.length != array.size()) {
      throw new IllegalArgumentException(
          values.length + " values for a parameter of shape " + array.getShape());
    }
    Tensor fresh = array.scope().create(values, array.getShape());
    array.close();
    array = fresh;
    array.setRequiresGradient(trainable);
  }
}
