package dev.earshot.compare;

import dev.earshot.model.Readout;
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

  /**
   * Random weights of {@code model} built for {@code frames} input frames, seeded by the comparison, read out
   * frozen as {@code readout} says (null: the model's pooling of its final output).
   */
  record Scratch(String model, int frames, Readout readout) implements Init {}
}
