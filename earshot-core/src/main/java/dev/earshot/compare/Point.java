package dev.earshot.compare;

import dev.earshot.eval.EmbeddingSpread;

/**
 * A frozen clip-embedding score after {@code seconds} of pretraining ({@code step} updates), with the spread of
 * the clip embeddings it was computed from (effective rank, per-dimension std, mean cosine: collapse shows there
 * first), or null where none was recorded.
 */
public record Point(long step, double seconds, double score, EmbeddingSpread spread) {}
