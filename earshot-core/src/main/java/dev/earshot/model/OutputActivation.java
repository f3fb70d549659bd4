package dev.earshot.model;

/** How a classifier's logits become scores. */
public enum OutputActivation {
  /** Independent per-class probabilities (multi-label: AudioSet). */
  SIGMOID,
  /** A distribution over classes (single-label: ESC-50, Speech Commands, speaker ID). */
  SOFTMAX
}
