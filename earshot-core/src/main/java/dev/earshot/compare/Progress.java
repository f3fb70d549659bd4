package dev.earshot.compare;

import dev.earshot.train.TrainingListener;

/** Where a comparison reports as it goes: a progress listener per stage, and a line per finished stage. */
public interface Progress {
  /**
   * A listener for the stage called {@code stage} ("pretrain ssast", "ssast esc50 finetune fold 1", ...).
   *
   * @param steps the stage's length, or null when it is known only at its first step (fine-tuning)
   */
  TrainingListener listener(String stage, Long steps);

  /** One line about a finished stage. */
  void log(String line);
}
