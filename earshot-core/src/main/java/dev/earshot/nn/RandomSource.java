package dev.earshot.nn;

import dev.earshot.Seeds;
import java.util.SplittableRandom;
import java.util.function.IntToLongFunction;

/**
 * The seeded generator behind a model's stochastic layers (drop-path), shared by all of them. A trainer
 * reseeds it before every step from (run seed, step), so a resumed run draws exactly the same masks.
 *
 * <p>Per-example draws ({@link #perExample}) come from a generator of their own for every (step seed, call,
 * example's index in the step's global batch), so a data-parallel worker holding rows {@code offset ..} of
 * the global batch draws exactly what one process with the whole batch draws for those rows.
 */
public final class RandomSource {
  private long seed;
  private SplittableRandom random;
  private IntToLongFunction exampleOfRow = row -> row;
  private long calls;

  public RandomSource(long seed) {
    reseed(seed);
  }

  /** Restarts from {@code seed}, for a batch that is a whole global batch. */
  public void reseed(long seed) {
    reseed(seed, 0);
  }

  /** Restarts from {@code seed} for a worker whose batch starts at row {@code offset} of the global batch. */
  public void reseed(long seed, int offset) {
    reseed(seed, row -> (long) offset + row);
  }

  /**
   * Restarts from {@code seed} for rows that are not one per example in batch order: {@code exampleOfRow}
   * gives the global index a row stands for (e.g. two crops of every clip stacked crop-major).
   */
  public void reseed(long seed, IntToLongFunction exampleOfRow) {
    this.seed = seed;
    this.random = new SplittableRandom(seed);
    this.exampleOfRow = exampleOfRow;
    this.calls = 0;
  }

  /** The next draw of the shared sequence (not per example). */
  public double nextDouble() {
    return random.nextDouble();
  }

  /** One uniform draw for each of {@code count} local examples, independent of how the batch is shared. */
  public double[] perExample(int count) {
    long call = calls++;
    double[] out = new double[count];
    for (int i = 0; i < count; i++) {
      out[i] = new SplittableRandom(Seeds.mix(seed, call, exampleOfRow.applyAsLong(i))).nextDouble();
    }
    return out;
  }
}
