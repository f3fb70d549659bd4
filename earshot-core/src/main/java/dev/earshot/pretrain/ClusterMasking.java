package dev.earshot.pretrain;

import static dev.earshot.ConfigException.require;

import dev.earshot.model.PatchGrid;
import dev.earshot.model.TokenOrder;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.random.RandomGenerator;

/**
 * SSAST's masked-patch selection for 16x16 patches: a cluster size c is drawn from [minCluster, maxCluster]
 * once per example; c x c clusters at random starting patches are added until more than {@code count}
 * patches are collected; then {@code count} of them are kept. For frame patches (one patch per time step)
 * SSAST samples {@code count} positions uniformly without clusters ({@link #frames}).
 *
 * <p>By default the clusters are proper 2-D blocks (clipped at the grid's edges) and the kept subset is
 * uniform. Three upstream quirks can be switched on for bit-level reproduction of SSAST's sampler
 * (methods.md §2.5 and SSAST issue #39): {@code neverMaskFirstPatch} (patch 0 is never eligible),
 * {@code wrapAcrossRows} (a cluster runs off the end of a frequency row into the next one, as the index
 * arithmetic start + T'i + j does) and {@code keepSmallestIndices} (Python's set iteration order keeps the
 * smallest indices).
 *
 * @param count masked patches per example (SSAST: 400 of 512)
 * @param minCluster smallest cluster side (3)
 * @param maxCluster largest cluster side (5)
 * @param clusters false for frame patches: uniform sampling
 * @param neverMaskFirstPatch upstream quirk
 * @param wrapAcrossRows upstream quirk
 * @param keepSmallestIndices upstream quirk
 */
public record ClusterMasking(int count, int minCluster, int maxCluster, boolean clusters, boolean neverMaskFirstPatch,
    boolean wrapAcrossRows, boolean keepSmallestIndices) {

  public ClusterMasking {
    require(count >= 1, "maskCount", "must be >= 1, got " + count);
    require(minCluster >= 1 && maxCluster >= minCluster, "cluster", "need 1 <= min <= max");
  }

  /** SSAST's patch masking without the upstream quirks. */
  public static ClusterMasking patches(int count) {
    return new ClusterMasking(count, 3, 5, true, false, false, false);
  }

  /** SSAST's frame masking: {@code count} uniform positions. */
  public static ClusterMasking frames(int count) {
    return new ClusterMasking(count, 1, 1, false, false, false, false);
  }

  /** SSAST's sampler exactly as upstream (all three quirks on). */
  public static ClusterMasking upstream(int count) {
    return new ClusterMasking(count, 3, 5, true, true, true, true);
  }

  /** Masks for {@code batch} examples on {@code grid} for inputs of {@code frames} frames. */
  public Mask sample(PatchGrid grid, int frames, int batch, RandomGenerator rng) {
    int timePatches = grid.timePatches(frames);
    int n = timePatches * grid.freqPatches();
    int first = neverMaskFirstPatch ? 1 : 0;
    require(count <= n - first, "maskCount", count + " masked patches do not fit " + n + " tokens");
    int[][] out = new int[batch][];
    for (int b = 0; b < batch; b++) {
      out[b] = clusters ? clustered(grid, timePatches, n, rng) : uniform(n, first, rng);
    }
    return new Mask(out, n);
  }

  private int[] uniform(int n, int first, RandomGenerator rng) {
    int[] pool = new int[n - first];
    for (int i = 0; i < pool.length; i++) {
      pool[i] = i + first;
    }
    for (int i = 0; i < count; i++) {
      int j = i + rng.nextInt(pool.length - i);
      int t = pool[i];
      pool[i] = pool[j];
      pool[j] = t;
    }
    return java.util.Arrays.copyOf(pool, count);
  }

  private int[] clustered(PatchGrid grid, int timePatches, int n, RandomGenerator rng) {
    int side = minCluster + rng.nextInt(maxCluster - minCluster + 1);
    Set<Integer> chosen = keepSmallestIndices ? new TreeSet<>() : new LinkedHashSet<>();
    while (chosen.size() <= count && chosen.size() < n - (neverMaskFirstPatch ? 1 : 0)) {
      int start = rng.nextInt(n);
      for (int i = 0; i < side; i++) {
        for (int j = 0; j < side; j++) {
          int candidate;
          if (wrapAcrossRows) {
            // SSAST's arithmetic on the frequency-major index: rows are frequency, columns time
            int stride = grid.order() == TokenOrder.FREQUENCY_MAJOR ? timePatches : grid.freqPatches();
            candidate = start + stride * i + j;
            if (candidate >= n) {
              continue;
            }
          } else {
            int row = grid.order() == TokenOrder.FREQUENCY_MAJOR ? start / timePatches : start % grid.freqPatches();
            int col = grid.order() == TokenOrder.FREQUENCY_MAJOR ? start % timePatches : start / grid.freqPatches();
            int f = row + i;
            int t = col + j;
            if (f >= grid.freqPatches() || t >= timePatches) {
              continue;
            }
            candidate = grid.tokenIndex(t, f, framesFor(grid, timePatches));
          }
          if (candidate < (neverMaskFirstPatch ? 1 : 0)) {
            continue;
          }
          chosen.add(candidate);
        }
      }
    }
    List<Integer> list = new ArrayList<>(chosen);
    if (!keepSmallestIndices) {
      for (int i = list.size() - 1; i > 0; i--) {
        int j = rng.nextInt(i + 1);
        Integer t = list.get(i);
        list.set(i, list.get(j));
        list.set(j, t);
      }
    }
    int[] out = new int[count];
    for (int i = 0; i < count; i++) {
      out[i] = list.get(i);
    }
    return out;
  }

  /** A frame count that gives {@code timePatches} on this grid (for index arithmetic only). */
  private static int framesFor(PatchGrid grid, int timePatches) {
    return (timePatches - 1) * grid.strideFrames() + grid.patchFrames();
  }
}
