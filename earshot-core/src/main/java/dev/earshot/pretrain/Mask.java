package dev.earshot.pretrain;

import java.util.Arrays;
import java.util.List;

/**
 * The masked token positions of each example of a batch: {@code indices[b]} lists the masked token indices
 * of example b (all rows the same length), in the order the loss reads them.
 *
 * @param indices (B, M) masked token indices
 * @param tokens N, tokens per example
 */
public record Mask(int[][] indices, int tokens) {
  public Mask {
    for (int[] row : indices) {
      if (row.length != indices[0].length) {
        throw new IllegalArgumentException("every example must mask the same number of tokens");
      }
      for (int i : row) {
        if (i < 0 || i >= tokens) {
          throw new IllegalArgumentException("masked index " + i + " outside 0.." + (tokens - 1));
        }
      }
    }
  }

  /** The masks of several batches, one after the other (all with the same token and masked counts). */
  public static Mask stack(List<Mask> parts) {
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("no masks to stack");
    }
    return new Mask(parts.stream().flatMap(m -> Arrays.stream(m.indices())).toArray(int[][]::new),
        parts.get(0).tokens());
  }

  /** M, masked tokens per example. */
  public int count() {
    return indices.length == 0 ? 0 : indices[0].length;
  }

  /** (B, N) 1 where masked, 0 elsewhere, in C order. */
  public float[] dense() {
    float[] out = new float[indices.length * tokens];
    for (int b = 0; b < indices.length; b++) {
      for (int i : indices[b]) {
        out[b * tokens + i] = 1f;
      }
    }
    return out;
  }

  /** (B, M) indices as longs, C order. */
  public long[] flatIndices() {
    return Arrays.stream(indices).flatMapToInt(Arrays::stream).asLongStream().toArray();
  }
}
