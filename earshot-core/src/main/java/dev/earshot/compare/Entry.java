package dev.earshot.compare;

import dev.earshot.pretrain.PretrainingMethod;

/** A row of the comparison: a pretraining method on its architecture, or an architecture from scratch. */
public sealed interface Entry permits Entry.Pretrained, Entry.Scratch {
  /** What {@code --methods} calls the scratch rows. */
  String SCRATCH = "scratch";

  /** The row's name in tables, plots and folders: the method's, or {@code scratch-MODEL}. */
  String name();

  /** The architecture's registry name. */
  String model();

  /** The {@code method} field of the row in results.json: the method's name, or "scratch". */
  default String methodName() {
    return name();
  }

  /** A method pretrained on the pool, then evaluated. */
  record Pretrained(PretrainingMethod<?> method, String model) implements Entry {
    @Override
    public String name() {
      return method.name();
    }
  }

  /** An architecture from random weights: what every method of that architecture is read against. */
  record Scratch(String model) implements Entry {
    @Override
    public String name() {
      return SCRATCH + "-" + model;
    }

    @Override
    public String methodName() {
      return SCRATCH;
    }
  }
}
