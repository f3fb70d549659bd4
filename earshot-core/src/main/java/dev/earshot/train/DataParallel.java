package dev.earshot.train;

import dev.earshot.tensor.World;
import dev.earshot.nn.Parameter;
import dev.earshot.tensor.ProcessGroup;
import dev.earshot.tensor.Shape;
import dev.earshot.tensor.Tensor;
import dev.earshot.tensor.TensorScope;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Synchronous data parallelism for the {@link Trainer}: this process is one of {@link World#size()} workers,
 * each training on its share of every global batch; after each backward pass the gradients are averaged
 * (bucketed all-reduce), so every worker applies the same update to the same parameters. Worker 0 writes
 * checkpoints, metrics and models; at start it broadcasts its parameters, optimizer state and step (a fresh
 * start or a checkpoint), and at every checkpoint all workers compare parameter checksums.
 *
 * <p>Also the {@link WorkerGroup} objectives combine their state with (DINO centres, MoCo queues).
 */
public final class DataParallel implements WorkerGroup, AutoCloseable {
  private final World world;
  private final ProcessGroup group;
  private GradientAverager averager;
  private List<Parameter> averaged = List.of();

  private DataParallel(World world, ProcessGroup group) {
    this.world = world;
    this.group = group;
  }

  /** Meets the other workers of {@code world} (rank 0 hosts the rendezvous); fails after its timeout. */
  public static DataParallel join(World world) {
    return new DataParallel(world,
        ProcessGroup.join(world.rank(), world.size(), world.masterAddress(), world.masterPort(), world.timeout()));
  }

  public World world() {
    return world;
  }

  @Override
  public int rank() {
    return world.rank();
  }

  @Override
  public int size() {
    return world.size();
  }

  public boolean isLeader() {
    return world.isLeader();
  }

  @Override
  public Tensor mean(Tensor t) {
    Tensor sum = t.duplicate();
    group.allReduceSum(List.of(sum));
    return sum.div(world.size());
  }

  @Override
  public Tensor gather(Tensor t) {
    return group.allGather(t.stopGradient());
  }

  /** Replaces every trainable parameter's gradient by its mean over the workers. */
  public void averageGradients(Collection<Parameter> parameters) {
    List<Parameter> list = List.copyOf(parameters);
    if (averager == null || !sameParameters(list, averaged)) { // buckets are planned once per set of parameters
      averager = new GradientAverager(group, list, GradientAverager.DEFAULT_BUCKET_BYTES);
      averaged = list;
    }
    averager.average();
  }

  private static boolean sameParameters(List<Parameter> a, List<Parameter> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (a.get(i) != b.get(i)) {
        return false;
      }
    }
    return true;
  }

  /** The mean of every metric over the workers (same keys everywhere; the order of {@code local}). */
  Map<String, Double> averageMetrics(Map<String, Double> local) {
    double[] values = local.values().stream().mapToDouble(Double::doubleValue).toArray();
    if (values.length == 0) {
      return local;
    }
    try (TensorScope scope = TensorScope.newBaseScope()) {
      double[] mean = mean(scope.create(values, new Shape(values.length))).toDoubleArray();
      Map<String, Double> out = new LinkedHashMap<>();
      int i = 0;
      for (String k : local.keySet()) {
        out.put(k, mean[i++]);
      }
      return out;
    }
  }

  /** Worker 0's values of {@code tensors} on every worker, in place. */
  void broadcastFromLeader(List<Tensor> tensors) {
    for (Tensor t : tensors) {
      group.broadcast(t, 0);
    }
  }

  /** Worker 0's {@code value} on every worker. */
  long broadcastFromLeader(long value) {
    try (TensorScope scope = TensorScope.newBaseScope()) {
      Tensor t = scope.create(new long[] {value}, new Shape(1));
      group.broadcast(t, 0);
      return t.getLong();
    }
  }

  /** Stops with an error naming the worker whose parameters differ from worker 0's. */
  void checkIdentical(Collection<Parameter> parameters, long step) {
    GradientAverager.checkIdentical(group, parameters, step);
  }

  /** Returns when every worker has called it. */
  void barrier() {
    group.barrier();
  }

  static List<Tensor> arrays(Collection<Parameter> parameters) {
    List<Tensor> out = new ArrayList<>();
    for (Parameter p : parameters) {
      out.add(p.array());
    }
    return out;
  }

  @Override
  public void close() {
    group.close();
  }
}
