package dev.earshot.tensor;

import dev.earshot.ConfigException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * This process's place in a data-parallel job: its rank among {@code size} workers, its rank on this machine,
 * and where rank 0 listens for the rendezvous. A single process is {@link #SINGLE}.
 *
 * @param timeout how long a collective or the rendezvous may wait for the other ranks before the job stops
 *     with an error naming the rank that failed
 */
public record World(int rank, int size, int localRank, String masterAddress, int masterPort, Duration timeout) {
  /** Default time a collective may wait for the other ranks. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);

  /** One process, no communication. */
  public static final World SINGLE = new World(0, 1, 0, "127.0.0.1", 0, DEFAULT_TIMEOUT);

  public World {
    Objects.requireNonNull(masterAddress, "masterAddress");
    Objects.requireNonNull(timeout, "timeout");
    if (size < 1) {
      throw new ConfigException("world size must be at least 1, got " + size);
    }
    if (rank < 0 || rank >= size) {
      throw new ConfigException("rank " + rank + " is outside a world of " + size);
    }
    if (localRank < 0) {
      throw new ConfigException("local rank must not be negative, got " + localRank);
    }
    if (size > 1 && (masterPort < 1 || masterPort > 65535)) {
      throw new ConfigException("master port must be in 1..65535, got " + masterPort);
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new ConfigException("the distributed timeout must be positive");
    }
  }

  /**
   * The world torchrun describes in the environment ({@code RANK}, {@code WORLD_SIZE}, {@code LOCAL_RANK},
   * {@code MASTER_ADDR}, {@code MASTER_PORT}); {@link #SINGLE} when {@code WORLD_SIZE} is unset.
   */
  public static World fromEnvironment(Map<String, String> env, Duration timeout) {
    String size = env.get("WORLD_SIZE");
    if (size == null || size.isBlank()) {
      return SINGLE;
    }
    int worldSize = integer(env, "WORLD_SIZE");
    int rank = integer(env, "RANK");
    int local = env.containsKey("LOCAL_RANK") ? integer(env, "LOCAL_RANK") : rank;
    String address = env.getOrDefault("MASTER_ADDR", "127.0.0.1");
    int port = worldSize > 1 ? integer(env, "MASTER_PORT") : 0;
    return new World(rank, worldSize, local, address, port, timeout);
  }

  private static int integer(Map<String, String> env, String key) {
    String v = env.get(key);
    if (v == null) {
      throw new ConfigException(key + " is not set (a distributed run needs RANK, WORLD_SIZE, MASTER_ADDR, MASTER_PORT)");
    }
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new ConfigException(key + "='" + v + "' is not a whole number");
    }
  }

  public boolean isDistributed() {
    return size > 1;
  }

  /** Rank 0 writes checkpoints, metrics and models. */
  public boolean isLeader() {
    return rank == 0;
  }

  /** "rank 1/4", for log lines. */
  public String label() {
    return "rank " + rank + "/" + size;
  }
}
