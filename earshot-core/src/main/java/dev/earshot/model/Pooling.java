package dev.earshot.model;

/** How the token sequence becomes one clip vector. */
public enum Pooling {
  /** Mean of the patch tokens, special tokens excluded (SSAST's ft_avgtok, MAST). */
  MEAN_PATCHES,
  /** The first special token (EAT's CLS_TOKEN). */
  CLS,
  /** Mean of the CLS and distillation tokens (AST, SSAST's ft_cls, Hugging Face AST). */
  CLS_DIST_MEAN
}
