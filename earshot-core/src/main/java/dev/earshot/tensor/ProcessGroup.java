package dev.earshot.tensor;

import dev.earshot.EarshotException;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.SizeTPointer;
import org.bytedeco.javacpp.chrono.Milliseconds;
import org.bytedeco.pytorch.AllreduceOptions;
import org.bytedeco.pytorch.BroadcastOptions;
import org.bytedeco.pytorch.ByteVector;
import org.bytedeco.pytorch.GlooDeviceVector;
import org.bytedeco.pytorch.IntOptional;
import org.bytedeco.pytorch.ProcessGroupGloo;
import org.bytedeco.pytorch.TCPStore;
import org.bytedeco.pytorch.TCPStoreOptions;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.Work;

/**
 * libtorch's collectives between processes (c10d): a {@link TCPStore} for the rendezvous, hosted by rank 0,
 * and Gloo for the tensors (CPU tensors; a CUDA build would use NCCL). Every rank must call the same
 * collectives in the same order.
 *
 * <p>Failures are named. Each rank writes a heartbeat into the store every second; when a collective or the
 * rendezvous fails or times out, the ranks whose heartbeat stopped are named in the {@link Failure} (or rank
 * 0, when the store itself is gone), so a dead or hung worker stops every rank with an error saying which.
 */
public final class ProcessGroup implements AutoCloseable {
  private static final String ALIVE = "earshot/alive/";
  private static final long HEARTBEAT_MS = 1000;

  private final int rank;
  private final int size;
  private final Duration timeout;
  private final TCPStore store;
  private final ProcessGroupGloo gloo;
  private final ScheduledExecutorService heartbeat;
  private volatile boolean closed;

  /** A collective failed: the message names the rank(s) that stopped, when they are known. */
  public static final class Failure extends EarshotException {
    private static final long serialVersionUID = 1L;

    Failure(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private ProcessGroup(int rank, int size, Duration timeout, TCPStore store, ProcessGroupGloo gloo) {
    this.rank = rank;
    this.size = size;
    this.timeout = timeout;
    this.store = store;
    this.gloo = gloo;
    this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "earshot-heartbeat");
      t.setDaemon(true);
      return t;
    });
    beat();
    heartbeat.scheduleAtFixedRate(this::beat, HEARTBEAT_MS, HEARTBEAT_MS, TimeUnit.MILLISECONDS);
  }

  /**
   * Joins the group: rank 0 hosts the store on {@code address:port} (on a loopback address listening on that
   * address only, see {@link LoopbackStoreSocket}), the others connect; returns when all
   * {@code size} ranks are there, or fails after {@code timeout}.
   */
  public static ProcessGroup join(int rank, int size, String address, int port, Duration timeout) {
    Engine.load();
    OptionalInt listenFd;
    try {
      listenFd = rank == 0 ? LoopbackStoreSocket.listen(address, port) : OptionalInt.empty();
    } catch (IOException e) {
      throw new Failure(String.format(Locale.ROOT, "rank 0/%d could not listen on %s:%d (%s): is the port taken?",
          size, address, port, e.getMessage()), e);
    }
    TCPStore store;
    try (TCPStoreOptions options = new TCPStoreOptions();
        Milliseconds wait = new Milliseconds(timeout.toMillis());
        SizeTPointer workers = new SizeTPointer(1);
        IntOptional fd = listenFd.isPresent() ? new IntOptional(listenFd.getAsInt()) : new IntOptional()) {
      workers.put(size);
      options.port((short) port).isServer(rank == 0).numWorkers(workers).waitWorkers(true).timeout(wait);
      // a loopback rendezvous listens on loopback only (the store alone would bind every interface)
      options.masterListenFd(fd);
      store = new TCPStore(address, options);
    } catch (RuntimeException e) {
      throw new Failure(String.format(Locale.ROOT, "rank %d/%d could not meet the other ranks at %s:%d within %d s "
          + "(%s): is rank 0 running and the address reachable?", rank, size, address, port, timeout.toSeconds(),
          firstLine(e)), e);
    }
    try (Milliseconds wait = new Milliseconds(timeout.toMillis());
        ProcessGroupGloo.Options options = ProcessGroupGloo.Options.create(wait)) {
      // Gloo binds its device to an address of this machine: the one on the route to rank 0 (rank 0's address
      // itself only on rank 0's machine; loopback stays loopback)
      options.devices(new GlooDeviceVector(ProcessGroupGloo.createDeviceForHostname(localAddressTowards(address,
          port))));
      ProcessGroupGloo gloo = new ProcessGroupGloo(store, rank, size, options);
      return new ProcessGroup(rank, size, timeout, store, gloo);
    } catch (RuntimeException e) {
      store.close();
      throw new Failure(String.format(Locale.ROOT, "rank %d/%d could not connect its collectives (%s)", rank, size,
          firstLine(e)), e);
    }
  }

  public int rank() {
    return rank;
  }

  /** The address of this machine that packets to {@code address} leave from (nothing is sent). */
  static String localAddressTowards(String address, int port) {
    try (DatagramSocket probe = new DatagramSocket()) {
      probe.connect(InetAddress.getByName(address), port);
      InetAddress local = probe.getLocalAddress();
      return local == null || local.isAnyLocalAddress() ? address : local.getHostAddress();
    } catch (IOException | RuntimeException e) {
      return address; // let Gloo report what it makes of the address
    }
  }

  public int size() {
    return size;
  }

  /** Sums {@code tensors} over all ranks, in place (every rank ends with the same sums). */
  public void allReduceSum(List<Tensor> tensors) {
    if (tensors.isEmpty()) {
      return;
    }
    try (TensorVector v = vector(tensors); AllreduceOptions options = new AllreduceOptions()) {
      run("all-reduce", gloo.allreduce(v, options));
    }
  }

  /**
   * Sums each of {@code tensors} over all ranks, in place, as separate collectives that run concurrently
   * (buckets of gradients): all are started, then all are waited for.
   */
  public void allReduceSumEach(List<Tensor> tensors) {
    List<Work> started = new ArrayList<>();
    List<TensorVector> vectors = new ArrayList<>();
    try {
      for (Tensor t : tensors) {
        TensorVector v = new TensorVector(t.handle());
        vectors.add(v);
        started.add(gloo.allreduce(v));
      }
      for (Work w : started) {
        run("all-reduce", w);
      }
    } finally {
      vectors.forEach(TensorVector::close);
    }
  }

  /** Every rank's {@code local} (same shape everywhere), concatenated along axis 0 in rank order. */
  public Tensor allGather(Tensor local) {
    Shape s = local.getShape();
    long[] dims = s.getShape();
    dims[0] *= size;
    Tensor out = local.scope().zeros(new Shape(dims), local.getDataType());
    Tensor contiguous = local.duplicate();
    run("all-gather", gloo._allgather_base(out.handle(), contiguous.handle()));
    contiguous.close();
    return out;
  }

  /** Overwrites {@code tensor} on every rank with rank {@code root}'s values. */
  public void broadcast(Tensor tensor, int root) {
    try (TensorVector v = new TensorVector(tensor.handle()); BroadcastOptions options = new BroadcastOptions()) {
      options.rootRank(root);
      run("broadcast", gloo.broadcast(v, options));
    }
  }

  /** Returns when every rank has called it. */
  public void barrier() {
    try (TensorScope scope = TensorScope.newBaseScope()) {
      allReduceSum(List.of(scope.zeros(new Shape(1))));
    }
  }

  private void run(String what, Work work) {
    try (work) {
      boolean done;
      try (Milliseconds wait = new Milliseconds(timeout.toMillis())) {
        done = work._wait(wait);
      }
      if (!done) {
        throw new IllegalStateException("timed out");
      }
    } catch (RuntimeException e) {
      throw new Failure(diagnose(what, e), e);
    }
  }

  /**
   * Names the ranks that stopped: their heartbeat does not advance over three heartbeat intervals (or rank 0,
   * when the store it hosts is unreachable).
   */
  private String diagnose(String what, RuntimeException cause) {
    String head = String.format(Locale.ROOT, "rank %d/%d: %s failed (%s)", rank, size, what, firstLine(cause));
    List<String> silent = new ArrayList<>();
    try {
      long[] before = beats();
      Thread.sleep(3 * HEARTBEAT_MS);
      long[] after = beats();
      for (int r = 0; r < size; r++) {
        if (r != rank && after[r] == before[r]) {
          silent.add(before[r] < 0 ? "rank " + r + " (never joined)" : "rank " + r);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException storeGone) {
      return head + ": rank 0 (the rendezvous host) is gone";
    }
    if (silent.isEmpty()) {
      return head + ": every other rank is still alive; one of them may be stuck or slower than the "
          + timeout.toSeconds() + " s timeout";
    }
    return head + ": " + String.join(", ", silent) + (silent.size() == 1 ? " has" : " have") + " stopped";
  }

  private long[] beats() {
    long[] out = new long[size];
    for (int r = 0; r < size; r++) {
      out[r] = r == rank ? 0 : lastBeat(r);
    }
    return out;
  }

  private long lastBeat(int r) {
    try (org.bytedeco.pytorch.StringVector key = new org.bytedeco.pytorch.StringVector(ALIVE + r)) {
      if (!store.check(key)) {
        return -1;
      }
    }
    try (ByteVector v = store.get(ALIVE + r)) {
      return Long.parseLong(new String(v.get(), StandardCharsets.UTF_8));
    }
  }

  private void beat() {
    if (closed) {
      return;
    }
    try (ByteVector v = new ByteVector(Long.toString(System.currentTimeMillis()).getBytes(StandardCharsets.UTF_8))) {
      store.set(ALIVE + rank, v);
    } catch (RuntimeException e) {
      // the store is gone (rank 0 stopped); the next collective reports it
    }
  }

  private static TensorVector vector(List<Tensor> tensors) {
    TensorVector v = new TensorVector();
    for (Tensor t : tensors) {
      v.push_back(t.handle());
    }
    return v;
  }

  /** The first line of libtorch's message, without the source location of the C++ that threw it. */
  private static String firstLine(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
    int nl = m.indexOf('\n');
    String line = nl < 0 ? m : m.substring(0, nl);
    return line.replaceAll("\\[[^\\]]*\\.(cc|cpp|h|hpp):\\d+\\]\\s*", "").strip();
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    heartbeat.shutdownNow();
    gloo.close();
    store.close();
  }
}
