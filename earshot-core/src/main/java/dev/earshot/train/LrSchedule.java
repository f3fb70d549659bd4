package dev.earshot.train;

import static dev.earshot.ConfigException.require;

/**
 * Learning rate as a function of the optimizer step (0-based). Implementations are records, so a schedule
 * is part of a run's configuration and is saved with its checkpoints.
 */
public sealed interface LrSchedule {
  /** The learning rate for update {@code step}. */
  double lr(long step);

  /** The same value at every step. */
  record Constant(double lr) implements LrSchedule {
    @Override
    public double lr(long step) {
      return lr;
    }
  }

  /**
   * Linear warm-up from 0 to {@code peak} over {@code warmupSteps}, then a half cosine to {@code finalLr} at
   * {@code totalSteps} (flat afterwards): EAT's and most fine-tuning recipes.
   */
  record WarmupCosine(double peak, long warmupSteps, long totalSteps, double finalLr) implements LrSchedule {
    public WarmupCosine {
      require(peak > 0, "lr", "must be positive, got " + peak);
      require(warmupSteps >= 0 && warmupSteps <= totalSteps, "warmupSteps", "must be in [0, totalSteps]");
    }

    @Override
    public double lr(long step) {
      if (step < warmupSteps) {
        return peak * (step + 1) / warmupSteps;
      }
      long span = Math.max(1, totalSteps - warmupSteps);
      double progress = Math.min(1.0, (double) (step - warmupSteps) / span);
      return finalLr + 0.5 * (peak - finalLr) * (1 + Math.cos(Math.PI * progress));
    }
  }

  /** DINO's per-update cosine with linear warm-up from 0 (ASiT); see {@link CosineSchedule}. */
  record Dino(CosineSchedule schedule) implements LrSchedule {
    @Override
    public double lr(long step) {
      return schedule.value(step);
    }
  }

  /**
   * SSAST's warm-up: every {@code every} steps up to {@code warmupSteps} the rate is set to
   * (step / warmupSteps) * peak (a staircase starting at 0), then {@code peak}, halved at each of
   * {@code halvings} step milestones (a deterministic stand-in for SSAST's ReduceLROnPlateau, which needs a
   * validation signal).
   */
  record StaircaseWarmup(double peak, long warmupSteps, long every, long[] halvings) implements LrSchedule {
    public StaircaseWarmup {
      require(peak > 0, "lr", "must be positive");
      require(every >= 1, "every", "must be >= 1");
      halvings = halvings == null ? new long[0] : halvings.clone();
    }

    @Override
    public double lr(long step) {
      if (step < warmupSteps) {
        long stair = step / every * every;
        return peak * stair / warmupSteps;
      }
      double lr = peak;
      for (long h : halvings) {
        if (step >= h) {
          lr *= 0.5;
        }
      }
      return lr;
    }
  }

  /** {@code base} multiplied by {@code factor} at each milestone step (SSAST/AST fine-tuning's MultiStepLR). */
  record MultiStep(double base, long[] milestones, double factor) implements LrSchedule {
    public MultiStep {
      milestones = milestones.clone();
    }

    @Override
    public double lr(long step) {
      double lr = base;
      for (long m : milestones) {
        if (step >= m) {
          lr *= factor;
        }
      }
      return lr;
    }
  }
}
