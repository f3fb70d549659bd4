package dev.earshot.train;

import dev.earshot.EarshotException;
import dev.earshot.nn.Parameter;
import dev.earshot.tensor.ProcessGroup;
import dev.earshot.tensor.Shape;
import dev.earshot.tensor.Temporaries;
import dev.earshot.tensor.Tensor;
import dev.earshot.tensor.TensorScope;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.zip.CRC32;

/**
 * Data parallelism's gradient step: after every rank's backward pass, the gradients of the trainable
 * parameters are averaged over the ranks, in buckets of about {@code bucketBytes} (each bucket one flat
 * all-reduce, all buckets in flight together), so every rank applies the same update. A parameter without a
 * gradient (unused in this step; the same on every rank, since every rank runs the same code) stays without
 * one.
 *
 * <p>Not overlapped with the backward pass: the buckets are reduced once backward has finished.
 */
public final class GradientAverager {
  /** PyTorch DDP's default bucket size. */
  public static final long DEFAULT_BUCKET_BYTES = 25L << 20;

  private final ProcessGroup group;
  private final List<List<Parameter>> buckets = new ArrayList<>();

  public GradientAverager(ProcessGroup group, Collection<Parameter> parameters, long bucketBytes) {
    this.group = group;
    List<Parameter> current = new ArrayList<>();
    long bytes = 0;
    for (Parameter p : parameters) {
      if (!p.trainable()) {
        continue;
      }
      current.add(p);
      bytes += p.array().size() * 4;
      if (bytes >= bucketBytes) {
        buckets.add(current);
        current = new ArrayList<>();
        bytes = 0;
      }
    }
    if (!current.isEmpty()) {
      buckets.add(current);
    }
  }

  /** Number of all-reduce buckets. */
  public int buckets() {
    return buckets.size();
  }

  /** Replaces every trainable parameter's gradient by its mean over the ranks. */
  public void average() {
    try (Temporaries temporaries = Temporaries.open()) {
      List<Tensor> flats = new ArrayList<>();
      for (List<Parameter> bucket : buckets) {
        List<Tensor> parts = new ArrayList<>();
        for (Parameter p : bucket) {
          Tensor a = p.array();
          parts.add(a.hasGradient() ? a.getGradient().reshape(-1) : a.scope().zeros(new Shape(a.size())));
        }
        flats.add(Tensor.concat(parts, 0));
      }
      group.allReduceSumEach(flats);
      for (int b = 0; b < buckets.size(); b++) {
        Tensor mean = flats.get(b).div(group.size());
        long offset = 0;
        for (Parameter p : buckets.get(b)) {
          Tensor a = p.array();
          Tensor part = mean.get("{}:{}", offset, offset + a.size()).reshape(a.getShape());
          offset += a.size();
          if (a.hasGradient()) { // the same parameters have gradients on every rank: the code is the same
            a.getGradient().copyFrom(part);
          }
        }
      }
    }
  }

  /**
   * Stops with an error unless every rank holds bit-identical parameters (a CRC-32 of their bytes, compared
   * across ranks): data parallelism keeps them equal by construction, so a difference means a bug or a
   * corrupted worker.
   */
  public static void checkIdentical(ProcessGroup group, Collection<Parameter> parameters, long step) {
    CRC32 crc = new CRC32();
    for (Parameter p : parameters) {
      for (float v : p.array().toFloatArray()) {
        int bits = Float.floatToRawIntBits(v);
        crc.update(bits);
        crc.update(bits >>> 8);
        crc.update(bits >>> 16);
        crc.update(bits >>> 24);
      }
    }
    try (TensorScope scope = TensorScope.newBaseScope()) {
      Tensor mine = scope.create(new long[] {crc.getValue()}, new Shape(1));
      long[] all = group.allGather(mine).toLongArray();
      for (int r = 0; r < all.length; r++) {
        if (all[r] != all[0]) {
          throw new EarshotException(String.format(Locale.ROOT, "at step %d the parameters of rank %d differ from "
              + "rank 0's (checksums %08x vs %08x): the ranks no longer train the same model; stopping", step, r,
              all[r], all[0]));
        }
      }
    }
  }
}
