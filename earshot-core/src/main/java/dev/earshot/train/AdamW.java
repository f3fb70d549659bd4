package dev.earshot.train;

import dev.earshot.tensor.Tensor;
import dev.earshot.tensor.TensorScope;
import dev.earshot.tensor.Temporaries;
import dev.earshot.io.CheckpointFormatException;
import dev.earshot.io.HostTensor;
import dev.earshot.nn.Parameter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adam with parameter groups, in PyTorch's formulation, either with decoupled weight decay
 * ({@code torch.optim.AdamW}: p -= lr wd p, then the Adam step) or classic coupled L2
 * ({@code torch.optim.Adam(weight_decay=wd)}: g += wd p, as SSAST trains).
 *
 * <p>Implementation notes, per parameter with gradient g at step t (1-based):
 * m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2; denom = sqrt(v) / sqrt(1 - b2^t) + eps;
 * p -= (lr / (1 - b1^t)) m / denom. State is created eagerly (zeros) so that each update can run inside an
 * {@link Temporaries} that frees every temporary. Gradients are zeroed after the update; parameters without a
 * gradient are skipped (their moments stay as they were, as in PyTorch).
 */
public final class AdamW {
  /** Hyper-parameters shared by all groups. */
  public record Settings(double beta1, double beta2, double eps, boolean decoupled) {
    /** torch.optim.AdamW defaults with the given betas. */
    public static Settings adamW(double beta1, double beta2) {
      return new Settings(beta1, beta2, 1e-8, true);
    }

    /** torch.optim.Adam (coupled L2 weight decay) with the given betas. */
    public static Settings adam(double beta1, double beta2) {
      return new Settings(beta1, beta2, 1e-8, false);
    }
  }

  private record Slot(String key, Parameter parameter, Tensor m, Tensor v, ParamGroup group) {}

  private final Settings settings;
  private final List<ParamGroup> groups;
  private final List<Slot> slots = new ArrayList<>();
  private final TensorScope stateManager;
  private long steps;

  public AdamW(TensorScope manager, List<ParamGroup> groups, Settings settings) {
    this.settings = settings;
    this.groups = List.copyOf(groups);
    this.stateManager = manager.newSubScope();
    for (ParamGroup g : groups) {
      for (Map.Entry<String, Parameter> e : g.parameters().entrySet()) {
        Tensor p = e.getValue().array();
        slots.add(new Slot(e.getKey(), e.getValue(), stateManager.zeros(p.getShape()), stateManager.zeros(p.getShape()), g));
      }
    }
  }

  public List<ParamGroup> groups() {
    return groups;
  }

  /** Updates taken so far. */
  public long steps() {
    return steps;
  }

  /** Sets the count of updates taken (a worker taking over worker 0's optimizer state). */
  void setSteps(long steps) {
    this.steps = steps;
  }

  /** Every first and second moment, in slot order (for data-parallel workers to share). */
  java.util.List<Tensor> moments() {
    java.util.List<Tensor> out = new ArrayList<>();
    for (Slot s : slots) {
      out.add(s.m());
      out.add(s.v());
    }
    return out;
  }

  /** Applies one update with base learning rate {@code lr} and zeroes the gradients. */
  public void step(double lr) {
    step(lr, 1);
  }

  /**
   * Applies one update with base learning rate {@code lr}, every group's weight decay multiplied by
   * {@code weightDecayScale}, and zeroes the gradients.
   */
  public void step(double lr, double weightDecayScale) {
    steps++;
    double bc1 = 1 - Math.pow(settings.beta1(), steps);
    double bc2 = 1 - Math.pow(settings.beta2(), steps);
    double sqrtBc2 = Math.sqrt(bc2);
    for (Slot s : slots) {
      Tensor p = s.parameter().array();
      if (!s.parameter().trainable() || !p.hasGradient()) {
        continue;
      }
      double groupLr = lr * s.group().lrScale();
      double wd = s.group().weightDecay() * weightDecayScale;
      try (Temporaries scope = Temporaries.open()) {
        Tensor g = p.getGradient();
        if (!settings.decoupled() && wd != 0) {
          g = g.add(p.mul(wd));
        }
        s.m().muli(settings.beta1()).addi(g.mul(1 - settings.beta1()));
        s.v().muli(settings.beta2()).addi(g.mul(g).muli(1 - settings.beta2()));
        if (settings.decoupled() && wd != 0) {
          p.muli(1 - groupLr * wd);
        }
        Tensor denom = s.v().sqrt().divi(sqrtBc2).addi(settings.eps());
        p.subi(s.m().div(denom).muli(groupLr / bc1));
      }
      p.zeroGradient();
    }
  }

  /** Zeroes every gradient without updating (for skipped or failed steps). */
  public void zeroGradients() {
    for (Slot s : slots) {
      Tensor p = s.parameter().array();
      p.zeroGradient();
    }
  }

  /** First and second moments by parameter path ({@code m.<path>}, {@code v.<path>}) plus the step count. */
  public Map<String, HostTensor> state() {
    Map<String, HostTensor> out = new LinkedHashMap<>();
    for (Slot s : slots) {
      out.put("m." + s.key(), HostTensor.ofFloats(s.m().toFloatArray(), s.m().getShape().getShape()));
      out.put("v." + s.key(), HostTensor.ofFloats(s.v().toFloatArray(), s.v().getShape().getShape()));
    }
    out.put("steps", HostTensor.ofLongs(new long[] {steps}));
    return out;
  }

  /** Restores {@link #state()}; every slot must be present with its shape. */
  public void load(Map<String, HostTensor> state, Path file) {
    HostTensor stepTensor = state.get("steps");
    if (stepTensor == null) {
      throw new CheckpointFormatException(file, "optimizer state lacks 'steps'");
    }
    for (Slot s : slots) {
      for (String which : new String[] {"m", "v"}) {
        HostTensor t = state.get(which + "." + s.key());
        Tensor target = which.equals("m") ? s.m() : s.v();
        if (t == null || t.size() != target.size()) {
          throw new CheckpointFormatException(file, "optimizer state for '" + s.key() + "' is missing or mis-shaped");
        }
        target.set(t.floats());
      }
    }
    steps = stepTensor.scalarLong();
  }
}
