package dev.earshot.data;

import java.util.SplittableRandom;

/**
 * Which clip fills slot k of the batch of step s: a pure function of (seed, s, k), so a resumed run sees
 * the same data in the same order without saving any iterator state.
 */
public sealed interface Sampler {
  /** Index of the clip for global sample number {@code sample} (= step * batch + slot). */
  int clip(long sample);

  /**
   * Each epoch is a fresh permutation of all clips (seeded by seed and epoch); sample i is position
   * i mod N of epoch i / N.
   */
  record Shuffled(int size, long seed) implements Sampler {
    @Override
    public int clip(long sample) {
      long epoch = sample / size;
      int position = (int) (sample % size);
      return permutation(epoch)[position];
    }

    private int[] permutation(long epoch) {
      // cached per thread: the same epoch is asked for many times in a row
      Cache c = CACHE.get();
      if (c.seed == seed && c.epoch == epoch && c.perm != null && c.perm.length == size) {
        return c.perm;
      }
      int[] p = new int[size];
      for (int i = 0; i < size; i++) {
        p[i] = i;
      }
      SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch);
      for (int i = size - 1; i > 0; i--) {
        int j = r.nextInt(i + 1);
        int t = p[i];
        p[i] = p[j];
        p[j] = t;
      }
      c.seed = seed;
      c.epoch = epoch;
      c.perm = p;
      return p;
    }

    private static final class Cache {
      long seed;
      long epoch = -1;
      int[] perm;
    }

    private static final ThreadLocal<Cache> CACHE = ThreadLocal.withInitial(Cache::new);
  }

  /**
   * Sampling with replacement proportional to per-clip weights (AST's balanced sampler for AudioSet: a
   * clip's weight is the sum over its labels of 1 / (clips with that label)).
   */
  record Weighted(double[] cumulative, long seed) implements Sampler {
    public static Weighted balanced(Dataset data, long seed) {
      int[] counts = new int[data.classes().size()];
      for (Clip c : data.clips()) {
        for (int l : c.labels()) {
          counts[l]++;
        }
      }
      double[] cum = new double[data.size()];
      double total = 0;
      for (int i = 0; i < data.size(); i++) {
        double w = 0;
        for (int l : data.clips().get(i).labels()) {
          w += 1.0 / counts[l];
        }
        total += w == 0 ? 1e-9 : w;
        cum[i] = total;
      }
      return new Weighted(cum, seed);
    }

    @Override
    public int clip(long sample) {
      double u = new SplittableRandom(seed * 0x9E3779B97F4A7C15L ^ sample).nextDouble() * cumulative[cumulative.length - 1];
      int lo = 0;
      int hi = cumulative.length - 1;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (cumulative[mid] < u) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      return lo;
    }
  }
}
