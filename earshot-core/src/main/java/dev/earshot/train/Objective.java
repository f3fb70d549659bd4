package dev.earshot.train;

import dev.earshot.tensor.TensorScope;
import dev.earshot.data.Batch;
import dev.earshot.nn.Module;
import java.util.Map;

/**
 * What a {@link Trainer} optimises: a pretraining method or a supervised task. The trainer never names a
 * method; it only sees modules, a loss and an after-update hook.
 *
 * <p>How to write one: keep every random choice a function of (seed, step) — masks, noise, drop-path — so
 * that a resumed run replays exactly; draw per-example randomness for the step's whole global batch
 * ({@link dev.earshot.data.Batch#globalSize()}) and use this worker's rows ({@code offset ..}), so that
 * data-parallel workers draw what one process with the whole batch draws; create arrays only in the
 * {@code step} manager (parameters aside); return host-side metrics as plain numbers.
 */
public interface Objective {
  /** Modules whose parameters the optimizer updates and checkpoints save, by name. */
  Map<String, Module> trainable();

  /** Modules saved with checkpoints but never updated by the optimizer (EMA teachers). */
  default Map<String, Module> frozen() {
    return Map.of();
  }

  /** Forward pass and loss of one batch; runs inside the gradient collector. */
  StepOutput forward(Batch batch, TensorScope step, long stepIndex);

  /**
   * Multiplies every group's weight decay at update {@code stepIndex} (0-based); ASiT/DINO raise the decay
   * along a cosine. Default 1.
   */
  default double weightDecayScale(long stepIndex) {
    return 1;
  }

  /**
   * Tells the objective which data-parallel workers it trains with, before the first step; objectives whose
   * state combines batch statistics across workers (DINO centres, MoCo queues) keep it. Default: nothing.
   */
  default void join(WorkerGroup workers) {}

  /** Called after each optimizer update (EMA teachers update here). */
  default void afterUpdate(long stepIndex) {}

  /** Puts every module in training or evaluation mode. */
  default void setTraining(boolean training) {
    trainable().values().forEach(m -> m.setTraining(training));
    frozen().values().forEach(m -> m.setTraining(false));
  }
}
