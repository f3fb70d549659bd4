package dev.earshot.compare;

import java.nio.file.Path;

/** Where an evaluated encoder's weights start: a model directory, or random weights of an architecture. */
public sealed interface Init permits Init.FromModel, Init.Scratch {
  /** The registry name of the architecture. */
  String model();

  /**
   * An earshot model directory (a pretraining run's export or one of its snapshots).
   *
   * @param model the architecture's registry name (for labels; the directory's manifest is the truth)
   */
  record FromModel(Path dir, String model) implements Init {}

  /** Random weights of {@code model}, seeded by the comparison. */
  record Scratch(String model) implements Init {}
}
