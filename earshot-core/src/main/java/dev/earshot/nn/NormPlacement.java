package dev.earshot.nn;

/** Where a transformer block normalises. */
public enum NormPlacement {
  /** x += Attn(LN1(x)); x += MLP(LN2(x)) — timm ViT, SSAST, AST, ASiT. */
  PRE_LN,
  /** x += Attn(x); r = LN1(x); x = LN2(r + MLP(r)) — data2vec 2.0 / EAT ({@code layer_norm_first: false}). */
  POST_LN
}
