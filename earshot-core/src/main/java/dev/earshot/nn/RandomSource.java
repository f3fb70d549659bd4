package dev.earshot.nn;

import java.util.SplittableRandom;

/**
 * The seeded generator behind a model's stochastic layers (drop-path), shared by all of them. A trainer
 * reseeds it before every step from (run seed, step), so a resumed run draws exactly the same masks.
 */
public final class RandomSource {
  private SplittableRandom random;

  public RandomSource(long seed) {
    this.random = new SplittableRandom(seed);
  }

  /** Restarts the sequence from {@code seed}. */
  public void reseed(long seed) {
    random = new SplittableRandom(seed);
  }

  public double nextDouble() {
    return random.nextDouble();
  }
}
