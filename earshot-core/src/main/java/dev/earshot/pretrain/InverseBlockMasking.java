package dev.earshot.pretrain;

import static dev.earshot.ConfigException.require;

import dev.earshot.model.PatchGrid;
import java.util.random.RandomGenerator;

/**
 * EAT's inverse block masking (data2vec 2.0's {@code compute_block_mask_2d} with {@code inverse_mask}): the
 * <em>kept</em> patches come in blocks and everything else is masked. On a time x frequency grid of L
 * patches with keep share p = 1 - maskFraction:
 * <ol>
 *   <li>draw floor(L (p + adjust) / block²) block centres uniformly, with replacement;
 *   <li>keep the block x block neighbourhood of each centre (offsets -block/2 .. block - 1 - block/2, clamped
 *       into the grid, so blocks at the edges are truncated);
 *   <li>force exactly floor(L p) kept patches: drop a uniformly random subset of kept ones, or keep uniformly
 *       random extra ones;
 *   <li>mask the rest (EAT-base: 410 of 512).
 * </ol>
 * Tokens are indexed on the grid as the model orders them ({@link PatchGrid#tokenIndex}).
 *
 * @param maskFraction share of patches masked (0.8 EAT-base, 0.75 EAT-large)
 * @param adjust added to the keep share when counting centres (0.07), compensating for overlapping blocks
 * @param block block side in patches (5)
 */
public record InverseBlockMasking(double maskFraction, double adjust, int block) {

  public InverseBlockMasking {
    require(maskFraction > 0 && maskFraction < 1, "maskFraction", "must be in (0, 1), got " + maskFraction);
    require(adjust >= 0, "maskAdjust", "must be >= 0");
    require(block >= 2, "maskBlock", "must be >= 2 (EAT: 5)");
  }

  /** EAT-base: 80% masked, adjust 0.07, 5x5 blocks. */
  public static InverseBlockMasking eatBase() {
    return new InverseBlockMasking(0.8, 0.07, 5);
  }

  /** Kept patches per example on a grid of {@code tokens} patches: floor(L (1 - maskFraction)). */
  public int keptCount(int tokens) {
    return (int) (tokens * (1 - maskFraction));
  }

  /** Masked patches per example. */
  public int maskedCount(int tokens) {
    return tokens - keptCount(tokens);
  }

  /** Independent masks for {@code count} examples on {@code grid} for inputs of {@code frames} frames. */
  public Mask sample(PatchGrid grid, int frames, int count, RandomGenerator rng) {
    int timePatches = grid.timePatches(frames);
    int freqPatches = grid.freqPatches();
    int n = timePatches * freqPatches;
    double keep = 1 - maskFraction;
    int target = keptCount(n);
    require(target >= 1, "maskFraction", "keeps no patch of " + n);
    int centres = (int) (n * (keep + adjust) / (block * block));
    int offset = block / 2;
    int[][] masked = new int[count][];
    for (int e = 0; e < count; e++) {
      boolean[] kept = new boolean[n]; // by token index
      int keptSoFar = 0;
      for (int c = 0; c < centres; c++) {
        int centre = rng.nextInt(n); // a cell of the (time, frequency) grid, row-major over time
        int t0 = centre / freqPatches;
        int f0 = centre % freqPatches;
        for (int i = 0; i < block; i++) {
          int t = Math.min(Math.max(t0 + i - offset, 0), timePatches - 1);
          for (int j = 0; j < block; j++) {
            int f = Math.min(Math.max(f0 + j - offset, 0), freqPatches - 1);
            int token = grid.tokenIndex(t, f, frames);
            if (!kept[token]) {
              kept[token] = true;
              keptSoFar++;
            }
          }
        }
      }
      if (keptSoFar > target) {
        flipRandom(kept, true, keptSoFar - target, rng);
      } else if (keptSoFar < target) {
        flipRandom(kept, false, target - keptSoFar, rng);
      }
      int[] row = new int[n - target];
      int k = 0;
      for (int i = 0; i < n; i++) {
        if (!kept[i]) {
          row[k++] = i;
        }
      }
      masked[e] = row;
    }
    return new Mask(masked, n);
  }

  /** Flips {@code howMany} uniformly chosen cells whose value is {@code from}. */
  private static void flipRandom(boolean[] cells, boolean from, int howMany, RandomGenerator rng) {
    int candidates = 0;
    for (boolean c : cells) {
      if (c == from) {
        candidates++;
      }
    }
    int[] pool = new int[candidates];
    int k = 0;
    for (int i = 0; i < cells.length; i++) {
      if (cells[i] == from) {
        pool[k++] = i;
      }
    }
    for (int i = 0; i < howMany; i++) {
      int j = i + rng.nextInt(pool.length - i);
      int t = pool[i];
      pool[i] = pool[j];
      pool[j] = t;
      cells[pool[i]] = !from;
    }
  }
}
