package dev.earshot.data;

import dev.earshot.EarshotException;
import dev.earshot.audio.AudioInputException;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Builds the batch of any step deterministically (from the sampler, the seed and the step) on worker
 * threads, prefetching the next steps while the current one trains.
 *
 * <p>A clip that cannot be read (any earshot error, or running out of memory) is skipped: its slot takes
 * another clip drawn from (seed, step, slot), and the clip is listed in {@link #skipped()} with the reason. Augmentation randomness is seeded by (seed, step, slot), so batches do not
 * depend on thread timing and a resumed run rebuilds exactly the same batches.
 *
 * <p>Data parallelism: with a {@link Shard}, {@code batchSize} is the global batch of every step and this
 * loader builds only its worker's slots of it ({@code rank x batchSize / workers ..}); slots are numbered in
 * the global batch, so any number of workers sees the same global batches.
 */
public final class BatchLoader implements AutoCloseable {
  private final Dataset data;
  private final FeatureSource source;
  private final Sampler sampler;
  private final int batchSize;
  private final Shard shard;
  private final long seed;
  private final Augmentation augmentation;
  private final int prefetch;
  private final ExecutorService workers;
  private final Map<Long, CompletableFuture<Batch>> pending = new ConcurrentHashMap<>();
  private final Set<String> skipped = Collections.synchronizedSet(new LinkedHashSet<>());

  /** A worker's share of every global batch: worker {@code rank} of {@code workers}. */
  public record Shard(int rank, int workers) {
    /** The whole batch. */
    public static final Shard WHOLE = new Shard(0, 1);

    public Shard {
      if (workers < 1 || rank < 0 || rank >= workers) {
        throw new IllegalArgumentException("rank " + rank + " of " + workers + " workers");
      }
    }
  }

  public BatchLoader(Dataset data, FeatureSource source, Sampler sampler, int batchSize, long seed,
      Augmentation augmentation, int workers, int prefetch) {
    this(data, source, sampler, batchSize, seed, augmentation, workers, prefetch, Shard.WHOLE);
  }

  /**
   * @param batchSize clips in every step's global batch (a multiple of {@code shard.workers()})
   * @param shard this worker's share
   */
  public BatchLoader(Dataset data, FeatureSource source, Sampler sampler, int batchSize, long seed,
      Augmentation augmentation, int workers, int prefetch, Shard shard) {
    if (data.size() == 0) {
      throw new EarshotException(data.name() + ": no clips");
    }
    dev.earshot.ConfigException.require(batchSize >= 1, "batchSize", "must be at least 1, got " + batchSize);
    if (batchSize % shard.workers() != 0) {
      throw new EarshotException("a batch of " + batchSize + " clips does not split evenly over " + shard.workers()
          + " workers; use a batch size that is a multiple of the worker count");
    }
    this.shard = shard;
    this.data = data;
    this.source = source;
    this.sampler = sampler;
    this.batchSize = batchSize;
    this.seed = seed;
    this.augmentation = augmentation == null ? Augmentation.NONE : augmentation;
    this.prefetch = Math.max(0, prefetch);
    this.workers = Executors.newFixedThreadPool(Math.max(1, workers), r -> {
      Thread t = new Thread(r, "earshot-data");
      t.setDaemon(true);
      return t;
    });
  }

  public Dataset dataset() {
    return data;
  }

  /** Clips in every step's global batch. */
  public int batchSize() {
    return batchSize;
  }

  /** Clips this worker loads per step. */
  public int localBatchSize() {
    return batchSize / shard.workers();
  }

  /** The batch of {@code step}; schedules the following steps in the background. */
  public Batch batch(long step) {
    for (long s = step; s <= step + prefetch; s++) {
      long target = s;
      pending.computeIfAbsent(target, k -> CompletableFuture.supplyAsync(() -> build(target), workers));
    }
    pending.keySet().removeIf(k -> k < step);
    try {
      Batch b = pending.remove(step).get();
      return b;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EarshotException("interrupted while loading data");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new EarshotException("data loading failed: " + e.getCause(), e.getCause());
    }
  }

  /** Clips skipped so far because they could not be read, with the reason. */
  public List<String> skipped() {
    synchronized (skipped) {
      return new ArrayList<>(skipped);
    }
  }

  private Batch build(long step) {
    List<float[][]> xs = new ArrayList<>();
    List<float[]> ys = new ArrayList<>();
    List<Clip> clips = new ArrayList<>();
    int local = localBatchSize();
    int offset = shard.rank() * local;
    for (int slot = offset; slot < offset + local; slot++) {
      int index = sampler.clip(step * batchSize + slot);
      for (int attempt = 0; ; attempt++) {
        Clip clip = data.clips().get(index);
        SplittableRandom rng = new SplittableRandom(mix(seed, step, slot, attempt));
        try {
          FeatureSource.Example e = source.example(clip, data.target(clip), augmentation, rng, () -> {
            Clip partner = data.clips().get(rng.nextInt(data.size()));
            return new AbstractMap.SimpleEntry<>(partner, data.target(partner));
          });
          xs.add(e.features());
          ys.add(e.target());
          clips.add(clip);
          break;
        } catch (EarshotException | OutOfMemoryError e) {
          String reason = e instanceof AudioInputException a && a.file() != null ? a.getMessage()
              : clip.file() + ": " + (e instanceof OutOfMemoryError ? "ran out of memory while loading" : e.getMessage());
          skipped.add(reason);
          if (attempt >= 50) {
            throw new EarshotException("too many unreadable clips in " + data.name() + " (last: " + reason + ")");
          }
          // a replacement drawn from (seed, step, slot, attempt): the same on every run
          index = new SplittableRandom(mix(seed, step, slot, attempt) ^ 0x5851F42D4C957F2DL).nextInt(data.size());
        }
      }
    }
    return new Batch(xs.toArray(new float[0][][]), ys.toArray(new float[0][]), clips, step, offset, batchSize);
  }

  private static long mix(long seed, long step, int slot, int attempt) {
    long h = seed * 0x9E3779B97F4A7C15L + step * 0xBF58476D1CE4E5B9L + slot * 0x94D049BB133111EBL + attempt;
    h ^= h >>> 31;
    h *= 0xD6E8FEB86659FD93L;
    return h ^ (h >>> 32);
  }

  @Override
  public void close() {
    workers.shutdownNow();
  }
}
