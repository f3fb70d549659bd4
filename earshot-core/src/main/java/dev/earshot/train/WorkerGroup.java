package dev.earshot.train;

import dev.earshot.tensor.Tensor;

/**
 * The data-parallel workers an {@link Objective} trains with, as it sees them: how many there are and how it
 * combines a quantity with them. A single process is {@link #ALONE}, for which combining is the identity.
 * Every worker must make the same calls in the same order.
 */
public interface WorkerGroup {
  /** This worker's rank, 0-based. */
  int rank();

  /** Number of workers. */
  int size();

  /** The mean of {@code t} over the workers (a new tensor in t's scope; every worker gets the same values). */
  Tensor mean(Tensor t);

  /** Every worker's {@code t} (same shape everywhere), concatenated along axis 0 in rank order. */
  Tensor gather(Tensor t);

  /** One process: nothing to combine. */
  WorkerGroup ALONE = new WorkerGroup() {
    @Override
    public int rank() {
      return 0;
    }

    @Override
    public int size() {
      return 1;
    }

    @Override
    public Tensor mean(Tensor t) {
      return t;
    }

    @Override
    public Tensor gather(Tensor t) {
      return t;
    }
  };
}
