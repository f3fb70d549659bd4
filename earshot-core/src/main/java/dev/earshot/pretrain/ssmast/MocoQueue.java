package dev.earshot.pretrain.ssmast;

import dev.earshot.tensor.Tensor;
import dev.earshot.tensor.TensorScope;
import dev.earshot.tensor.Index;
import dev.earshot.tensor.Shape;
import dev.earshot.nn.Module;
import dev.earshot.nn.Parameter;
import java.util.SplittableRandom;

/**
 * MoCo's queue of negative keys: {@code queue} (dim, size), columns L2-normalised, initialised with random
 * unit vectors, and {@code queue_ptr}, the column the next key goes to (the official names and layout). Keys
 * are written in order from the pointer, wrapping around; the pointer advances by the batch size. Frozen
 * parameters, so that checkpoints carry the queue and a resumed run continues exactly.
 */
public final class MocoQueue extends Module {
  private final Parameter queue;
  private final Parameter pointer;
  private final int dim;
  private final int size;

  public MocoQueue(TensorScope manager, int dim, int size, long seed) {
    super(manager);
    this.dim = dim;
    this.size = size;
    SplittableRandom rng = new SplittableRandom(seed);
    float[] values = new float[dim * size];
    for (int j = 0; j < size; j++) {
      double norm = 0;
      double[] column = new double[dim];
      for (int i = 0; i < dim; i++) {
        column[i] = rng.nextGaussian();
        norm += column[i] * column[i];
      }
      norm = Math.sqrt(norm);
      for (int i = 0; i < dim; i++) {
        values[i * size + j] = (float) (column[i] / norm);
      }
    }
    this.queue = parameter("queue", values, new Shape(dim, size), false);
    this.pointer = parameter("queue_ptr", new float[] {0}, new Shape(1), false);
    setTrainable(false);
  }

  /** (dim, size) keys. */
  public Tensor keys() {
    return queue.array();
  }

  public int size() {
    return size;
  }

  /** The column the next key is written to. */
  public int pointer() {
    return (int) pointer.array().getFloat();
  }

  /** Writes the (B, dim) keys from the pointer on (wrapping) and advances the pointer by B, in place. */
  public void enqueue(Tensor keys) {
    int b = (int) keys.getShape().get(0);
    if (b > size) {
      throw new IllegalArgumentException(b + " keys do not fit a queue of " + size);
    }
    int p = pointer();
    Tensor columns = keys.transpose(); // (dim, B), in the keys' (per-step) manager
    int first = Math.min(b, size - p);
    queue.array().set(Index.of(":, {}:{}", p, p + first), columns.get(Index.of(":, 0:{}", first)));
    if (first < b) {
      queue.array().set(Index.of(":, 0:{}", b - first), columns.get(Index.of(":, {}:", first)));
    }
    pointer.set(new float[] {(p + b) % size});
  }
}
