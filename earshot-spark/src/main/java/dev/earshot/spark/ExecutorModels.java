package dev.earshot.spark;

import dev.earshot.infer.AudioClassifier;
import dev.earshot.infer.AudioEmbedder;
import dev.earshot.tensor.Execution;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;

/**
 * The models loaded in this JVM (an executor, or the driver in local mode): each model is loaded once, on the
 * first task that needs it, and shared by every task thread through earshot's thread-safe inference API, whose
 * one micro-batching runner per model batches the windows of all tasks. Models stay loaded for the next stage
 * and job; at most {@link #CAPACITY} are kept, the least recently used idle one closed first (its native memory
 * freed), so an executor's memory is bounded by that many models.
 */
final class ExecutorModels {
  /** Models kept per JVM ({@code -Dearshot.spark.models=N}, default 2). */
  static final int CAPACITY = Math.max(1, Integer.getInteger("earshot.spark.models", 2));

  /**
   * Which model and how it runs: one loaded model per distinct key.
   *
   * @param location the model folder as the job names it (local path or Hadoop URI)
   * @param classifier a classifier (with its head) rather than an embedder
   * @param layer the embedder's layer (-1 final output)
   * @param maxBatch the runner's largest batch
   * @param device {@code cpu}, {@code cuda:N}
   * @param precision {@code fp32} or {@code bf16}
   */
  record Key(String location, boolean classifier, int layer, int maxBatch, String device, String precision)
      implements Serializable {}

  private static final Map<Key, Loaded> MODELS = new LinkedHashMap<>(8, 0.75f, true);
  private static final AtomicInteger LOADS = new AtomicInteger();

  private ExecutorModels() {}

  /** The model of {@code key}, loading it if no task of this JVM has; release the lease when the task ends. */
  static Lease acquire(Key key, Configuration conf) {
    Loaded model;
    synchronized (MODELS) {
      model = MODELS.computeIfAbsent(key, Loaded::new);
      model.users++;
    }
    try {
      model.load(conf);
    } catch (RuntimeException | Error e) {
      synchronized (MODELS) {
        model.users--;
        if (MODELS.get(key) == model && model.users == 0) {
          MODELS.remove(key);
        }
      }
      throw e;
    }
    synchronized (MODELS) {
      closeIdleBeyond(CAPACITY);
    }
    return new Lease(model);
  }

  /** Closes every model no task is using (for tests and for a local job that is done). */
  static void closeIdle() {
    synchronized (MODELS) {
      closeIdleBeyond(0);
    }
  }

  /** How many times this JVM has loaded a model. */
  static int loads() {
    return LOADS.get();
  }

  /** How many models this JVM holds. */
  static int loaded() {
    synchronized (MODELS) {
      return MODELS.size();
    }
  }

  private static void closeIdleBeyond(int keep) {
    List<Loaded> closing = new ArrayList<>();
    Iterator<Loaded> eldestFirst = MODELS.values().iterator();
    int size = MODELS.size();
    while (size > keep && eldestFirst.hasNext()) {
      Loaded m = eldestFirst.next();
      if (m.users == 0) {
        eldestFirst.remove();
        closing.add(m);
        size--;
      }
    }
    closing.forEach(Loaded::close);
  }

  /** A task's use of a model; closing it lets the model be evicted (it stays loaded until then). */
  static final class Lease implements AutoCloseable {
    private final Loaded model;
    private boolean released;

    private Lease(Loaded model) {
      this.model = model;
    }

    AudioEmbedder embedder() {
      return model.embedder;
    }

    AudioClassifier classifier() {
      return model.classifier;
    }

    @Override
    public void close() {
      synchronized (MODELS) {
        if (!released) {
          released = true;
          model.users--;
        }
      }
    }
  }

  private static final class Loaded {
    private final Key key;
    private AudioEmbedder embedder;
    private AudioClassifier classifier;
    private int users;

    Loaded(Key key) {
      this.key = key;
    }

    synchronized void load(Configuration conf) {
      if (embedder != null || classifier != null) {
        return;
      }
      LOADS.incrementAndGet();
      Path dir = ModelLocation.local(key.location(), conf);
      Execution execution = Execution.parse(key.device(), key.precision());
      if (key.classifier()) {
        classifier = AudioClassifier.open(dir, key.maxBatch(), execution);
      } else {
        embedder = AudioEmbedder.open(dir, key.layer(), key.maxBatch(), execution);
      }
    }

    synchronized void close() {
      if (classifier != null) {
        classifier.close();
      }
      if (embedder != null) {
        embedder.close();
      }
    }
  }
}
