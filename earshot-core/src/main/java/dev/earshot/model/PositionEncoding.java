package dev.earshot.model;

/** How position information enters the token sequence. */
public enum PositionEncoding {
  /**
   * A learned table {@code pos_embed} (1, S + N, D) added to the special tokens and the patches after
   * they are concatenated (SSAST, AST, ASiT). Tied to the configured grid.
   */
  LEARNED,
  /**
   * EAT's fixed 2-D sin-cos table added to the patches only, before the special tokens are prepended;
   * works for any number of time patches up to its maximum.
   */
  SINCOS_2D,
  /** No absolute positions (MAST uses relative position biases instead). */
  NONE
}
