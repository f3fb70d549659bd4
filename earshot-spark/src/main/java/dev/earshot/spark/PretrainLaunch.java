package dev.earshot.spark;

import dev.earshot.ConfigException;
import dev.earshot.tensor.World;
import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * How {@link SparkPretraining} runs: as {@code workers} data-parallel ranks (one barrier task each), each on
 * {@code threadsPerWorker} CPU threads, on a device and precision; from an encoder ({@code init}) or random
 * weights; continuing a checkpoint or not.
 *
 * @param workers ranks, one barrier task each (the cluster needs that many free task slots at once)
 * @param threadsPerWorker libtorch threads of each rank (0: {@code spark.task.cpus})
 * @param timeout how long a rank waits for the others before the run stops naming the rank that stopped
 * @param compute device and precision of every rank (the batch size is the recipe's global batch)
 * @param init an earshot model folder to start the encoder from, or null
 * @param resume continue from {@code RUN/checkpoint} when there is one (a re-attempted stage always does)
 * @param featureCache a folder for cached filterbanks on each executor, or null
 */
public record PretrainLaunch(int workers, int threadsPerWorker, Duration timeout, Compute compute, String init,
    boolean resume, String featureCache) implements Serializable {

  public PretrainLaunch {
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(compute, "compute");
    if (workers < 1) {
      throw new ConfigException("workers: at least 1, got " + workers);
    }
    if (threadsPerWorker < 0) {
      throw new ConfigException("threads per worker: 0 (spark.task.cpus) or more, got " + threadsPerWorker);
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new ConfigException("the distributed timeout must be positive");
    }
  }

  /** {@code workers} ranks on spark.task.cpus threads each, CPU float32, random weights, no resume. */
  public static PretrainLaunch of(int workers) {
    return new PretrainLaunch(workers, 0, World.DEFAULT_TIMEOUT, Compute.CPU, null, false, null);
  }

  public PretrainLaunch withThreadsPerWorker(int threads) {
    return new PretrainLaunch(workers, threads, timeout, compute, init, resume, featureCache);
  }

  public PretrainLaunch withTimeout(Duration newTimeout) {
    return new PretrainLaunch(workers, threadsPerWorker, newTimeout, compute, init, resume, featureCache);
  }

  public PretrainLaunch withCompute(Compute newCompute) {
    return new PretrainLaunch(workers, threadsPerWorker, timeout, newCompute, init, resume, featureCache);
  }

  public PretrainLaunch withInit(String modelDir) {
    return new PretrainLaunch(workers, threadsPerWorker, timeout, compute, modelDir, resume, featureCache);
  }

  public PretrainLaunch withResume(boolean on) {
    return new PretrainLaunch(workers, threadsPerWorker, timeout, compute, init, on, featureCache);
  }

  public PretrainLaunch withFeatureCache(String folder) {
    return new PretrainLaunch(workers, threadsPerWorker, timeout, compute, init, resume, folder);
  }
}
