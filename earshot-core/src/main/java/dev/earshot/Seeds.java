package dev.earshot;

/**
 * Derives independent seeds from several numbers (run seed, step, purpose, example index): every random
 * choice in earshot is a function of such a seed, which is what makes runs reproducible, resumable and
 * independent of how a batch is shared between workers.
 */
public final class Seeds {
  private Seeds() {}

  /** A 64-bit mix of three values: a linear combination through SplittableRandom's finaliser. */
  public static long mix(long a, long b, long c) {
    long h = a * 0x9E3779B97F4A7C15L + b * 0xBF58476D1CE4E5B9L + c * 0x94D049BB133111EBL;
    h = (h ^ (h >>> 30)) * 0xBF58476D1CE4E5B9L;
    h = (h ^ (h >>> 27)) * 0x94D049BB133111EBL;
    return h ^ (h >>> 31);
  }
}
