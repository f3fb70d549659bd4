package dev.earshot.train;

import java.util.Map;

/** Receives progress from a {@link Trainer} (a progress bar, a metrics file). */
public interface TrainingListener {
  /** Before the first update: the updates already done (by the checkpoint resumed from, else 0) and the total. */
  default void onStart(long done, long total) {}

  /** After every update: step (1-based count of updates done), total, learning rate, step metrics. */
  default void onStep(long done, long total, double lr, Map<String, Double> metrics) {}

  /** After a checkpoint is written. */
  default void onCheckpoint(long done, java.nio.file.Path dir) {}

  /** A no-op listener. */
  TrainingListener NONE = new TrainingListener() {};
}
