package dev.earshot.compare;

import dev.earshot.model.Readout;
import dev.earshot.pretrain.PretrainingMethod;

/**
 * A row of the comparison: a pretraining method on its architecture, an architecture from scratch, or the
 * log-mel-statistics baseline.
 */
public sealed interface Entry permits Entry.Pretrained, Entry.Scratch, Entry.Baseline {
  /** What {@code --methods} calls the scratch rows. */
  String SCRATCH = "scratch";
  /** What {@code --methods} calls the log-mel-statistics baseline. */
  String LOG_MEL = "logmel";

  /** The row's name in tables, plots and folders: the method's, {@code scratch-MODEL} or {@code logmel}. */
  String name();

  /** The architecture's registry name (for the baseline, a description of its features). */
  String model();

  /** The input length of the row's encoder, in frames: what its evaluations use unless a task sets its own. */
  int frames();

  /** The {@code method} field of the row in results.json: the method's name, "scratch" or "logmel". */
  default String methodName() {
    return name();
  }

  /**
   * A method pretrained on the pool, then evaluated.
   *
   * @param readout how its recipe says its frozen embeddings are read (null: the model's pooling, final output)
   */
  record Pretrained(PretrainingMethod<?> method, String model, int frames, Readout readout) implements Entry {
    @Override
    public String name() {
      return method.name();
    }
  }

  /**
   * An architecture from random weights: what every method of that architecture is read against, with the same
   * frozen readout as the (first) method of that architecture.
   */
  record Scratch(String model, int frames, Readout readout) implements Entry {
    @Override
    public String name() {
      return SCRATCH + "-" + model;
    }

    @Override
    public String methodName() {
      return SCRATCH;
    }
  }

  /**
   * No encoder: per mel band the mean and standard deviation of the whole clip's log-mel filterbank, with the same
   * shallow classifier as the frozen embeddings ({@link dev.earshot.features.LogMelStatistics}). Evaluated frozen
   * only.
   */
  record Baseline() implements Entry {
    @Override
    public String name() {
      return LOG_MEL;
    }

    @Override
    public String model() {
      return "log-mel mean+std";
    }

    @Override
    public int frames() {
      return 0;
    }
  }
}
