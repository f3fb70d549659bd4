package dev.earshot.infer;

import dev.earshot.tensor.Autocast;
import dev.earshot.tensor.Execution;
import dev.earshot.tensor.Tensor;
import dev.earshot.tensor.TensorScope;
import dev.earshot.tensor.Index;
import dev.earshot.tensor.Shape;
import dev.earshot.EarshotException;
import dev.earshot.model.Encoder;
import dev.earshot.model.ModelDirectory;
import dev.earshot.model.Readout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs a model for many concurrent callers by micro-batching: requests go to a queue; one worker thread
 * takes a request, waits a moment for others with the same input length, runs them as one batch in a
 * scoped native manager, and completes each caller's future. Gradient recording is switched off in the
 * worker (it is on by default in every thread but the engine's).
 *
 * <p>Failures stay with the requests that caused them: whatever a batch throws, an {@link OutOfMemoryError}
 * included, completes those requests exceptionally with an {@link EarshotException} saying what failed, and the
 * worker goes on with the next requests. Should the worker thread die all the same, the next submission starts a
 * new one, and requests it left behind fail instead of waiting forever.
 */
final class ModelRunner implements AutoCloseable {
  /** What a caller wants back for one clip. */
  record Request(float[][] features, Readout readout, boolean tokens, boolean logits,
      CompletableFuture<Result> result) {}

  /** The outputs: pooled (D), tokens (N, D) if asked, logits (classes) if asked. */
  record Result(float[] pooled, float[][] tokens, float[] logits, Grid grid) {}

  /** Where the tokens of a result sit: time steps x frequency bands, their order, frames per time step. */
  record Grid(int timeSteps, int freqBands, dev.earshot.model.TokenOrder order, int hopFrames) {}

  private static final Request POISON = new Request(null, Readout.FINAL, false, false, null);

  private final TensorScope manager;
  private final Execution execution;
  private final Encoder model;
  private final ModelDirectory.Manifest manifest;
  private final int maxBatch;
  private final BlockingQueue<Request> queue = new LinkedBlockingQueue<>();
  private Thread worker;
  private volatile boolean closed;

  ModelRunner(Path dir, int maxBatch, Execution execution) {
    this.execution = execution.checkAvailable();
    this.manifest = ModelDirectory.readManifest(dir);
    this.manager = execution.newBaseScope();
    try {
      this.model = ModelDirectory.load(dir, manager);
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
    this.maxBatch = Math.max(1, maxBatch);
    startWorker();
  }

  private synchronized void startWorker() {
    worker = new Thread(this::work, "earshot-inference");
    worker.setDaemon(true);
    worker.start();
  }

  ModelDirectory.Manifest manifest() {
    return manifest;
  }

  Encoder model() {
    return model;
  }

  CompletableFuture<Result> submit(float[][] features, Readout readout, boolean tokens, boolean logits) {
    if (closed) {
      throw new IllegalStateException("closed");
    }
    readout.requireLayersOf(model.depth());
    if (features == null || features.length == 0 || features[0] == null || features[0].length == 0) {
      throw new EarshotException("features must have at least one frame and one bin");
    }
    for (float[] row : features) {
      if (row == null || row.length != features[0].length) {
        throw new EarshotException("features must be a rectangular (frames, bins) matrix");
      }
    }
    CompletableFuture<Result> f = new CompletableFuture<>();
    queue.add(new Request(features, readout, tokens, logits, f));
    synchronized (this) {
      if (!worker.isAlive() && !closed) {
        startWorker(); // a worker killed by something outside our catch blocks: replace it
      }
    }
    return f;
  }

  private void work() {
    dev.earshot.tensor.Engine.disableGradientsForThisThread();
    List<Request> batch = new ArrayList<>();
    while (true) {
      try {
        Request first = queue.take();
        if (first == POISON) {
          return;
        }
        batch.add(first);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(3);
        while (batch.size() < maxBatch) {
          Request next = queue.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
          if (next == null) {
            break;
          }
          if (next == POISON) {
            queue.add(POISON);
            break;
          }
          batch.add(next);
        }
        runGrouped(batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        batch.forEach(r -> r.result().completeExceptionally(new EarshotException("inference interrupted")));
        return;
      } catch (Throwable e) {
        batch.forEach(r -> r.result().completeExceptionally(failure(e, batch.size())));
      } finally {
        batch.clear();
      }
    }
  }

  /** Runs requests grouped by (frames, bins, readout) so that each group is one tensor batch. */
  private void runGrouped(List<Request> batch) {
    List<Request> left = new ArrayList<>(batch);
    while (!left.isEmpty()) {
      Request head = left.get(0);
      List<Request> group = new ArrayList<>();
      for (Request r : left) {
        if (r.features().length == head.features().length && r.features()[0].length == head.features()[0].length
            && r.readout().equals(head.readout())) {
          group.add(r);
        }
      }
      left.removeAll(group);
      try {
        run(group);
      } catch (Throwable e) {
        EarshotException failure = failure(e, group.size());
        group.forEach(r -> r.result().completeExceptionally(failure));
      }
    }
  }

  /** What a failed batch reports to its callers: earshot's own errors as they are, others explained. */
  private static EarshotException failure(Throwable e, int requests) {
    if (e instanceof EarshotException ee) {
      return ee;
    }
    String what = e instanceof OutOfMemoryError ? "ran out of memory" : "failed (" + e + ")";
    return new EarshotException("inference of a batch of " + requests + " clip(s) " + what
        + "; the model is still available for smaller or other inputs", e);
  }

  private void run(List<Request> group) {
    int b = group.size();
    int t = group.get(0).features().length;
    int f = group.get(0).features()[0].length;
    float[] flat = new float[b * t * f];
    for (int i = 0; i < b; i++) {
      float[][] x = group.get(i).features();
      for (int j = 0; j < t; j++) {
        System.arraycopy(x[j], 0, flat, (i * t + j) * f, f);
      }
    }
    boolean wantTokens = group.stream().anyMatch(Request::tokens);
    boolean wantLogits = group.stream().anyMatch(Request::logits);
    Readout readout = group.get(0).readout();
    try (TensorScope step = manager.newSubScope()) {
      Tensor input = step.create(flat, new Shape(b, t, f));
      Encoder.Encoding e;
      try (Autocast precision = execution.autocast()) {
        e = model.encode(input, readout, wantLogits);
      }
      float[] pooled = e.pooled().toFloatArray();
      float[] tokens = wantTokens ? e.tokens().toFloatArray() : null;
      float[] logits = e.logits() == null ? null : e.logits().toFloatArray();
      int d = (int) e.pooled().getShape().get(1); // the readout's width: D, 2 D with the std, F' D by rows, ...
      int n = (int) e.tokens().getShape().get(1);
      int tokenWidth = (int) e.tokens().getShape().get(2); // D of the readout's layer
      int classes = model.numClasses();
      Grid grid = new Grid(e.timeSteps(), e.freqBands(), e.order(), e.hopFrames());
      for (int i = 0; i < b; i++) {
        Request r = group.get(i);
        float[] p = java.util.Arrays.copyOfRange(pooled, i * d, (i + 1) * d);
        float[][] tok = null;
        if (r.tokens()) {
          tok = new float[n][];
          for (int k = 0; k < n; k++) {
            tok[k] = java.util.Arrays.copyOfRange(tokens, (i * n + k) * tokenWidth, (i * n + k + 1) * tokenWidth);
          }
        }
        float[] lg = r.logits() && logits != null ? java.util.Arrays.copyOfRange(logits, i * classes, (i + 1) * classes)
            : null;
        r.result().complete(new Result(p, tok, lg, grid));
      }
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    queue.add(POISON);
    try {
      worker.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Request r;
    while ((r = queue.poll()) != null) {
      if (r != POISON) {
        r.result().completeExceptionally(new IllegalStateException("closed"));
      }
    }
    manager.close();
  }
}
