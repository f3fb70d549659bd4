package dev.earshot.pretrain.eat;

import dev.earshot.pretrain.Mask;

/**
 * Flat row indices that move tokens between the clip grid, the clones' visible subsets and the decoder's
 * grid, for B clips x K clones (clone row r = b K + k) on N patches with M masked per clone.
 */
final class CloneIndex {
  private final long[] visibleRows;
  private final long[] restoreRows;
  private final long[] maskedRows;
  private final long[] targetRows;
  private final long[] cloneClips;

  CloneIndex(Mask masks, int clones, int n) {
    int rows = masks.indices().length;
    int m = masks.count();
    int keep = n - m;
    visibleRows = new long[rows * keep];
    restoreRows = new long[rows * n];
    maskedRows = new long[rows * m];
    targetRows = new long[rows * m];
    cloneClips = new long[rows];
    for (int r = 0; r < rows; r++) {
      int clip = r / clones;
      cloneClips[r] = clip;
      boolean[] masked = new boolean[n];
      int[] maskedRank = new int[n];
      int[] order = masks.indices()[r];
      for (int j = 0; j < m; j++) {
        masked[order[j]] = true;
        maskedRank[order[j]] = j;
        maskedRows[r * m + j] = (long) r * n + order[j];
        targetRows[r * m + j] = (long) clip * n + order[j];
      }
      int kept = 0;
      for (int p = 0; p < n; p++) {
        if (masked[p]) {
          // the decoder input of row r is [visible outputs (keep), noise tokens (M)]
          restoreRows[r * n + p] = (long) r * n + keep + maskedRank[p];
        } else {
          visibleRows[r * keep + kept] = (long) clip * n + p;
          restoreRows[r * n + p] = (long) r * n + kept;
          kept++;
        }
      }
    }
  }

  /** (B K keep) rows of the (B N) clip tokens: each clone's visible patches in grid order. */
  long[] visibleRows() {
    return visibleRows;
  }

  /** (B K N) rows of the (B K N) [visible outputs, noise] sequence that put every token back on its grid cell. */
  long[] restoreRows() {
    return restoreRows;
  }

  /** (B K M) rows of the (B K N) decoder output at the masked cells, in mask order. */
  long[] maskedRows() {
    return maskedRows;
  }

  /** (B K M) rows of the (B N) teacher targets matching {@link #maskedRows()}. */
  long[] targetRows() {
    return targetRows;
  }

  /** (B K) clip of each clone row. */
  long[] cloneClips() {
    return cloneClips;
  }
}
