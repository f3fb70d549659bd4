package dev.earshot.train;

import dev.earshot.io.CheckpointFormatException;
import dev.earshot.io.HostTensor;
import dev.earshot.io.Json;
import dev.earshot.io.Safetensors;
import dev.earshot.nn.Module;
import dev.earshot.nn.StateDict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A training checkpoint: a directory with {@code weights.safetensors} (every module, keys prefixed by the
 * module's name), {@code optimizer.safetensors} (Adam moments and step count) and {@code state.json} (step,
 * seed, run description). Written to a temporary directory and renamed into place, so a kill at any moment
 * leaves either the previous checkpoint or the new one, never a partial one.
 */
public final class Checkpoint {
  public static final String WEIGHTS = "weights.safetensors";
  public static final String OPTIMIZER = "optimizer.safetensors";
  public static final String STATE = "state.json";

  private Checkpoint() {}

  /**
   * What a checkpoint says about the run.
   *
   * @param step updates completed
   * @param seed the run's seed
   * @param description the run's configuration (refused on resume when it differs)
   */
  public record State(long step, long seed, Map<String, Object> description) {}

  /** Writes {@code dir} atomically (replacing an existing checkpoint). */
  public static void save(Path dir, Map<String, Module> modules, AdamW optimizer, State state) throws IOException {
    Path parent = dir.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path tmp = Files.createTempDirectory(parent, "." + dir.getFileName() + ".tmp");
    try {
      Map<String, HostTensor> weights = new LinkedHashMap<>();
      for (Map.Entry<String, Module> m : modules.entrySet()) {
        StateDict.of(m.getValue()).forEach((k, v) -> weights.put(m.getKey() + "." + k, v));
      }
      Safetensors.write(tmp.resolve(WEIGHTS), weights, Map.of("producer", "earshot"));
      if (optimizer != null) {
        Safetensors.write(tmp.resolve(OPTIMIZER), optimizer.state(), Map.of("producer", "earshot"));
      }
      Json.write(tmp.resolve(STATE), state);
      Path old = parent.resolve("." + dir.getFileName() + ".old");
      deleteTree(old);
      if (Files.exists(dir)) {
        Files.move(dir, old, StandardCopyOption.ATOMIC_MOVE);
      }
      Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
      deleteTree(old);
    } finally {
      deleteTree(tmp);
    }
  }

  /** True when {@code dir} holds a complete checkpoint. */
  public static boolean exists(Path dir) {
    return Files.exists(dir.resolve(STATE)) && Files.exists(dir.resolve(WEIGHTS));
  }

  public static State readState(Path dir) {
    try {
      return Json.read(dir.resolve(STATE), State.class);
    } catch (IOException e) {
      throw new CheckpointFormatException(dir.resolve(STATE), "unreadable checkpoint state: " + e.getMessage(), e);
    }
  }

  /** Loads module weights (strictly, per module) and, if given, the optimizer state. */
  public static void load(Path dir, Map<String, Module> modules, AdamW optimizer) {
    Map<String, HostTensor> all = Safetensors.read(dir.resolve(WEIGHTS)).tensors();
    for (Map.Entry<String, Module> m : modules.entrySet()) {
      String prefix = m.getKey() + ".";
      Map<String, HostTensor> mine = new LinkedHashMap<>();
      all.forEach((k, v) -> {
        if (k.startsWith(prefix)) {
          mine.put(k.substring(prefix.length()), v);
        }
      });
      StateDict.load(m.getValue(), mine, dir.resolve(WEIGHTS));
    }
    if (optimizer != null) {
      optimizer.load(Safetensors.read(dir.resolve(OPTIMIZER)).tensors(), dir.resolve(OPTIMIZER));
    }
  }

  /** The weights of one module of a checkpoint (prefix removed). */
  public static Map<String, HostTensor> moduleWeights(Path dir, String module) {
    Map<String, HostTensor> out = new LinkedHashMap<>();
    String prefix = module + ".";
    Safetensors.read(dir.resolve(WEIGHTS)).tensors().forEach((k, v) -> {
      if (k.startsWith(prefix)) {
        out.put(k.substring(prefix.length()), v);
      }
    });
    if (out.isEmpty()) {
      throw new CheckpointFormatException(dir.resolve(WEIGHTS), "no weights for module '" + module + "'");
    }
    return out;
  }

  static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(q);
      }
    }
  }
}
