package dev.earshot.nn;

import dev.earshot.tensor.Tensor;
import dev.earshot.tensor.TensorScope;
import dev.earshot.tensor.Shape;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A building block of a network: named parameters plus named child modules, addressed by dotted paths that
 * equal PyTorch state-dict keys ({@code blocks.3.attn.qkv.weight}).
 *
 * <p>How to write one: create parameters in the constructor with {@link #parameter}, register children with
 * {@link #child}, and give the module a typed {@code forward} method (shapes in its Javadoc). Forward
 * methods must put the activation first in every binary operation, so that results land in the caller's
 * (per-step) manager and not in the parameters' manager; see {@link #attachToInput}.
 *
 * <p>Parameters live in the {@link TensorScope} given at construction and are closed with it.
 */
public abstract class Module {
  private final TensorScope manager;
  private final Map<String, Parameter> parameters = new LinkedHashMap<>();
  private final Map<String, Module> children = new LinkedHashMap<>();
  private boolean training;

  protected Module(TensorScope manager) {
    this.manager = Objects.requireNonNull(manager, "manager");
  }

  /** The manager that owns this module's parameters. */
  public TensorScope manager() {
    return manager;
  }

  /** Creates and registers a parameter from C-order values. */
  protected final Parameter parameter(String name, float[] values, Shape shape, boolean weightDecay) {
    if (parameters.containsKey(name) || children.containsKey(name)) {
      throw new IllegalStateException("duplicate name " + name);
    }
    Parameter p = new Parameter(manager.create(values, shape), true, weightDecay);
    parameters.put(name, p);
    return p;
  }

  /** Registers a child module under {@code name} and returns it. */
  protected final <M extends Module> M child(String name, M module) {
    if (parameters.containsKey(name) || children.containsKey(name)) {
      throw new IllegalStateException("duplicate name " + name);
    }
    children.put(name, module);
    return module;
  }

  /** Direct children in registration order. */
  public Map<String, Module> children() {
    return Collections.unmodifiableMap(children);
  }

  /** Every parameter of this module and its descendants, by dotted path, in registration order. */
  public Map<String, Parameter> namedParameters() {
    Map<String, Parameter> out = new LinkedHashMap<>();
    collect("", out);
    return out;
  }

  private void collect(String prefix, Map<String, Parameter> out) {
    for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
      out.put(prefix + e.getKey(), e.getValue());
    }
    for (Map.Entry<String, Module> e : children.entrySet()) {
      e.getValue().collect(prefix + e.getKey() + ".", out);
    }
  }

  /** Number of scalar weights in all parameters. */
  public long parameterCount() {
    long n = 0;
    for (Parameter p : namedParameters().values()) {
      n += p.array().size();
    }
    return n;
  }

  /** Switches training behaviour (dropout, drop-path) for this module and all descendants. */
  public void setTraining(boolean training) {
    this.training = training;
    for (Module c : children.values()) {
      c.setTraining(training);
    }
  }

  public boolean isTraining() {
    return training;
  }

  /** Freezes or unfreezes every parameter (an EMA teacher is frozen). */
  public void setTrainable(boolean trainable) {
    for (Parameter p : namedParameters().values()) {
      p.setTrainable(trainable);
    }
  }

  /**
   * Moves {@code result} (for example a parameter broadcast to the batch) into the manager of
   * {@code input}, so that it is freed with the step's other activations.
   */
  protected static Tensor attachToInput(Tensor result, Tensor input) {
    result.attach(input.scope());
    return result;
  }
}
