package dev.earshot.pretrain;

/**
 * Command-line knobs that several methods share under one name, each mapped by a method to a key of its recipe
 * section ({@link PretrainingMethod#options()}), e.g. the masked share is SSAST's {@code maskRatio} and EAT's
 * {@code maskFraction}.
 */
public enum MethodOption {
  /** The share of patches masked. */
  MASK_RATIO,
  /** The number of patches masked per clip. */
  MASK_COUNT,
  /** Masked copies of each clip. */
  CLONES
}
