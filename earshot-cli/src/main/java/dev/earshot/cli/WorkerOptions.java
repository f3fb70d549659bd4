package dev.earshot.cli;

import dev.earshot.ConfigException;
import dev.earshot.tensor.World;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Data-parallel training: {@code --workers N} starts N worker processes on this machine; across machines every
 * process is started with its rank, the world size and rank 0's address, by flags or by the environment
 * torchrun sets ({@code RANK}, {@code WORLD_SIZE}, {@code LOCAL_RANK}, {@code MASTER_ADDR}, {@code MASTER_PORT}).
 */
final class WorkerOptions {
  @Option(names = "--workers", paramLabel = "N", description = {"Train with N data-parallel worker processes on this",
      "machine (the CPU threads are split between them; the batch size stays the global batch)."})
  Integer workers;

  @Option(names = "--rank", paramLabel = "R", description = "This process's rank in a multi-machine run (or RANK).")
  Integer rank;

  @Option(names = "--world-size", paramLabel = "W", description = "Processes in a multi-machine run (or WORLD_SIZE).")
  Integer worldSize;

  @Option(names = "--master-addr", paramLabel = "HOST", description = "Rank 0's address (or MASTER_ADDR).")
  String masterAddress;

  @Option(names = "--master-port", paramLabel = "PORT", description = "Rank 0's port (or MASTER_PORT).")
  Integer masterPort;

  @Option(names = "--dist-timeout", paramLabel = "SECONDS", description = {"How long workers wait for each other",
      "before the run stops with an error naming the worker that stopped (default: 300)."})
  Integer timeoutSeconds;

  /** True when this process should start local workers rather than train. */
  boolean launchesWorkers() {
    if (workers == null) {
      return false;
    }
    if (workers < 1) {
      throw new ConfigException("--workers must be at least 1, got " + workers);
    }
    if (rank != null || worldSize != null) {
      throw new ConfigException("--workers starts the workers itself; --rank and --world-size are for processes "
          + "started on several machines");
    }
    return workers > 1;
  }

  Duration timeout() {
    if (timeoutSeconds != null && timeoutSeconds < 1) {
      throw new ConfigException("--dist-timeout must be at least 1 second, got " + timeoutSeconds);
    }
    return timeoutSeconds == null ? World.DEFAULT_TIMEOUT : Duration.ofSeconds(timeoutSeconds);
  }

  /** This process's world: the flags, else the environment, else a single process. */
  World world(Map<String, String> env) {
    if (rank == null && worldSize == null) {
      return World.fromEnvironment(env, timeout());
    }
    if (rank == null || worldSize == null || masterPort == null) {
      throw new ConfigException("a multi-machine run needs --rank, --world-size and --master-port (and --master-addr "
          + "on every machine but rank 0's)");
    }
    String address = masterAddress != null ? masterAddress : env.getOrDefault("MASTER_ADDR", "127.0.0.1");
    return new World(rank, worldSize, rank, address, masterPort, timeout());
  }
}
