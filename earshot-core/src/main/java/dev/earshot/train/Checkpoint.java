package dev.earshot.train;

import dev.earshot.io.AtomicFile;
import dev.earshot.io.CheckpointFormatException;
import dev.earshot.io.HostTensor;
import dev.earshot.io.Json;
import dev.earshot.io.Safetensors;
import dev.earshot.nn.Module;
import dev.earshot.nn.StateDict;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Training checkpoints of a run, crash-safe. A checkpoint root ({@code RUN/checkpoint}) holds one folder per
 * saved step and a pointer to the newest:
 * <pre>
 *   RUN/checkpoint/LATEST                    "step-000120" (written atomically)
 *   RUN/checkpoint/step-000120/              weights.safetensors (every module, keys prefixed by its name),
 *                                            optimizer.safetensors (Adam moments, step count), state.json
 *   RUN/checkpoint/.step-000140.partial-X/   a save in progress (removed when found later)
 * </pre>
 * A save writes the new step into a fresh {@code .partial} folder (each file fsynced), fsyncs it, renames it
 * to {@code step-N} (the moment the checkpoint exists), fsyncs the root, switches {@code LATEST}, and only then
 * removes older steps (each renamed away before it is deleted). A kill at any instruction therefore leaves
 * the previous complete step, or the new one, or both; {@link #latest} returns the newest complete one
 * ({@code CheckpointKillTest} kills a save between every two of its file operations). Leftovers of an
 * interrupted save are removed by the next save and by {@link #removeLeftovers}.
 *
 * <p>Checkpoints written before this layout (the files directly in {@code RUN/checkpoint}, or, after a crash
 * between that layout's two renames, in {@code RUN/.checkpoint.old}) are still found and read.
 */
public final class Checkpoint {
  public static final String WEIGHTS = "weights.safetensors";
  public static final String OPTIMIZER = "optimizer.safetensors";
  public static final String STATE = "state.json";
  /** The pointer file in the root: the name of the newest complete step folder. */
  public static final String LATEST = "LATEST";
  private static final Pattern STEP = Pattern.compile("step-(\\d{6,19})");
  private static final IntConsumer NO_HOOK = op -> { };

  private Checkpoint() {}

  /**
   * What a checkpoint says about the run.
   *
   * @param step updates completed
   * @param seed the run's seed
   * @param description the run's configuration (refused on resume when it differs)
   */
  public record State(long step, long seed, Map<String, Object> description) {}

  /** Saves the modules' weights, the optimizer (may be null) and the state as step {@code state.step()}. */
  public static void save(Path root, Map<String, Module> modules, AdamW optimizer, State state) throws IOException {
    Map<String, HostTensor> weights = new LinkedHashMap<>();
    for (Map.Entry<String, Module> m : modules.entrySet()) {
      StateDict.of(m.getValue()).forEach((k, v) -> weights.put(m.getKey() + "." + k, v));
    }
    saveFiles(root, weights, optimizer == null ? null : optimizer.state(), state, NO_HOOK);
  }

  /**
   * The file-level save. {@code beforeOperation} is called with a running index before every operation that
   * changes the file system (tests kill the process there).
   */
  static void saveFiles(Path root, Map<String, HostTensor> weights, Map<String, HostTensor> optimizerState,
      State state, IntConsumer beforeOperation) throws IOException {
    int[] op = {0};
    Runnable next = () -> beforeOperation.accept(op[0]++);
    next.run();
    Files.createDirectories(root);
    String name = stepName(state.step());
    Path partial = root.resolve("." + name + ".partial-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
    next.run();
    Files.createDirectory(partial);
    next.run();
    Safetensors.write(partial.resolve(WEIGHTS), weights, Map.of("producer", "earshot"));
    if (optimizerState != null) {
      next.run();
      Safetensors.write(partial.resolve(OPTIMIZER), optimizerState, Map.of("producer", "earshot"));
    }
    next.run();
    AtomicFile.writeString(partial.resolve(STATE), Json.pretty(state));
    next.run();
    AtomicFile.syncDirectory(partial);
    Path target = root.resolve(name);
    if (Files.exists(target)) {
      next.run();
      discard(root, target); // the same step saved again (a resumed run re-saving its last step)
    }
    next.run();
    Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
    next.run();
    AtomicFile.syncDirectory(root);
    next.run();
    AtomicFile.write(root.resolve(LATEST), (name + "\n").getBytes(StandardCharsets.US_ASCII));
    for (Path old : others(root, target)) {
      next.run();
      discard(root, old);
    }
    Path legacyOld = root.toAbsolutePath().getParent().resolve("." + root.getFileName() + ".old");
    if (Files.exists(legacyOld)) {
      next.run();
      deleteTree(legacyOld);
    }
    next.run();
    AtomicFile.syncDirectory(root);
  }

  /**
   * The newest complete checkpoint folder under {@code root} (a step folder, or a checkpoint of the earlier
   * layout), if there is one.
   */
  public static Optional<Path> latest(Path root) {
    Path best = null;
    long bestStep = -1;
    for (Path candidate : candidates(root)) {
      long step = completeStep(candidate);
      if (step > bestStep) {
        best = candidate;
        bestStep = step;
      }
    }
    return Optional.ofNullable(best);
  }

  /** True when {@code root} holds a complete checkpoint. */
  public static boolean exists(Path root) {
    return latest(root).isPresent();
  }

  /** The state of the newest checkpoint under {@code root} (or of the checkpoint folder {@code root} itself). */
  public static State readState(Path root) {
    Path dir = resolve(root);
    try {
      return Json.read(dir.resolve(STATE), State.class);
    } catch (IOException e) {
      throw new CheckpointFormatException(dir.resolve(STATE), "unreadable checkpoint state: " + e.getMessage(), e);
    }
  }

  /** Loads module weights (strictly, per module) and, if given, the optimizer state, from the newest checkpoint. */
  public static void load(Path root, Map<String, Module> modules, AdamW optimizer) {
    Path dir = resolve(root);
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

  /** The weights of one module of the newest checkpoint (prefix removed). */
  public static Map<String, HostTensor> moduleWeights(Path root, String module) {
    Path dir = resolve(root);
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

  /**
   * Removes what interrupted saves left behind: partial and discarded step folders, temporary files, and the
   * temporary copies of the earlier layout. Complete checkpoints are kept.
   */
  public static void removeLeftovers(Path root) throws IOException {
    if (Files.isDirectory(root)) {
      try (Stream<Path> s = Files.list(root)) {
        for (Path p : s.toList()) {
          String n = p.getFileName().toString();
          if (n.startsWith(".") && (n.contains(".partial-") || n.startsWith(".discarded-") || n.endsWith(".tmp"))) {
            deleteTree(p);
          }
        }
      }
    }
    Path parent = root.toAbsolutePath().getParent();
    if (parent != null && Files.isDirectory(parent)) {
      String legacyTmp = "." + root.getFileName() + ".tmp";
      try (Stream<Path> s = Files.list(parent)) {
        for (Path p : s.toList()) {
          if (p.getFileName().toString().startsWith(legacyTmp)) {
            deleteTree(p);
          }
        }
      }
    }
  }

  private static String stepName(long step) {
    return String.format("step-%06d", step);
  }

  /** {@code root} itself when it is a checkpoint folder, else its newest complete checkpoint. */
  private static Path resolve(Path root) {
    if (Files.exists(root.resolve(STATE))) {
      return root;
    }
    return latest(root).orElseThrow(() -> new CheckpointFormatException(root, "no complete checkpoint here"));
  }

  /** Step folders, the earlier layout's folder, and its ".old" copy left by a crash between its renames. */
  private static List<Path> candidates(Path root) {
    List<Path> out = new ArrayList<>();
    if (Files.isDirectory(root)) {
      out.add(root);
      try (Stream<Path> s = Files.list(root)) {
        s.filter(p -> STEP.matcher(p.getFileName().toString()).matches()).forEach(out::add);
      } catch (IOException e) {
        throw new CheckpointFormatException(root, "cannot list checkpoints: " + e.getMessage(), e);
      }
    }
    Path parent = root.toAbsolutePath().getParent();
    if (parent != null) {
      Path legacyOld = parent.resolve("." + root.getFileName() + ".old");
      if (Files.isDirectory(legacyOld)) {
        out.add(legacyOld);
      }
    }
    return out;
  }

  /** The step of a complete checkpoint folder (weights present, state readable), or -1. */
  private static long completeStep(Path dir) {
    if (!Files.isRegularFile(dir.resolve(WEIGHTS)) || !Files.isRegularFile(dir.resolve(STATE))) {
      return -1;
    }
    try {
      State s = Json.read(dir.resolve(STATE), State.class);
      Matcher m = STEP.matcher(dir.getFileName().toString());
      if (m.matches() && Long.parseLong(m.group(1)) != s.step()) {
        return -1; // a folder renamed by hand: not trusted
      }
      return s.step();
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** Step folders other than {@code keep}, and the earlier layout's files in the root. */
  private static List<Path> others(Path root, Path keep) throws IOException {
    List<Path> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(root)) {
      for (Path p : s.toList()) {
        String n = p.getFileName().toString();
        if (!p.equals(keep) && (STEP.matcher(n).matches() || n.contains(".partial-") || n.startsWith(".discarded-"))) {
          out.add(p);
        }
      }
    }
    for (String legacy : List.of(WEIGHTS, OPTIMIZER, STATE)) {
      if (Files.exists(root.resolve(legacy))) {
        out.add(root.resolve(legacy));
      }
    }
    out.sort(Comparator.naturalOrder());
    return out;
  }

  /** Renames {@code p} out of the way (a single atomic step), then deletes it. */
  private static void discard(Path root, Path p) throws IOException {
    Path away = root.resolve(".discarded-" + p.getFileName() + "-" + Long.toHexString(
        ThreadLocalRandom.current().nextLong()));
    try {
      Files.move(p, away, StandardCopyOption.ATOMIC_MOVE);
    } catch (NoSuchFileException e) {
      return;
    }
    deleteTree(away);
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
