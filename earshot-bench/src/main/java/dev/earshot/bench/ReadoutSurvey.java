package dev.earshot.bench;

import dev.earshot.compare.FrozenScoring;
import dev.earshot.data.Dataset;
import dev.earshot.data.DatasetSource;
import dev.earshot.infer.Aggregation;
import dev.earshot.infer.AudioEmbedder;
import dev.earshot.io.Json;
import dev.earshot.model.ModelDirectory;
import dev.earshot.model.Pooling;
import dev.earshot.model.Readout;
import dev.earshot.nn.StateDict;
import dev.earshot.tensor.Execution;
import dev.earshot.tensor.TensorScope;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Frozen clip-embedding scores of model directories under several readouts (pooling rule x layers), with the
 * embeddings' spread (effective rank, per-dimension std, mean cosine): how the EAT/ASiT investigation of
 * docs/PARITY.md was measured. Clips are embedded whole (windows of the model's input, averaged) and scored
 * with the comparison's frozen classifier ({@link FrozenScoring}). One JSON line per (model, task, readout).
 *
 * <p>Usage: {@code ReadoutSurvey --models DIR[,random:DIR...] --task NAME=FORMAT:PATH[|FORMAT:PATH of a test set]
 * [--task ...] [--readouts mean@-1;cls@-1;mean@1,2+std] [--seed 7]}. A readout is {@code POOLING@LAYERS[+std][+bands]}
 * (POOLING: mean, cls, cls-dist, or own for the model's own; LAYERS comma-separated, averaged; +std appends the
 * standard deviation over time steps; +bands keeps the frequency rows). A task named {@code NAME/FRAMES} reads every model rebuilt
 * for FRAMES-frame inputs (the benchmark's input length of that task). {@code random:DIR} is DIR's architecture and preprocessing with random weights
 * (seed 7), written to a temporary folder: the scratch twin the pretrained model is read against.
 */
public final class ReadoutSurvey {
  private ReadoutSurvey() {}

  public static void main(String[] args) throws Exception {
    List<Path> models = new ArrayList<>();
    List<String[]> tasks = new ArrayList<>();
    List<Readout> readouts = new ArrayList<>();
    long seed = 7;
    if (args.length % 2 != 0) {
      throw new IllegalArgumentException("options come in pairs (--models, --task, --readouts, --seed VALUE); "
          + args[args.length - 1] + " has no value");
    }
    int failures;
    try {
      failures = survey(args, models, tasks, readouts, seed);
    } finally {
      for (Path t : TEMPORARY) {
        deleteTree(t);
      }
    }
    if (failures > 0) {
      System.err.println(failures + " readout(s) failed; their lines carry the error");
      System.exit(1);
    }
  }

  /** Temporary folders of rebuilt and random-twin models, removed at the end. */
  private static final List<Path> TEMPORARY = new ArrayList<>();

  /** Prints one JSON line per model, task and readout; returns how many failed. */
  private static int survey(String[] args, List<Path> models, List<String[]> tasks, List<Readout> readouts,
      long seed) throws Exception {
    int failures = 0;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--models" -> {
          for (String m : args[i + 1].split(",")) {
            models.add(m.startsWith("random:") ? randomTwin(Path.of(m.substring(7))) : Path.of(m));
          }
        }
        case "--task" -> tasks.add(args[i + 1].split("=", 2));
        case "--readouts" -> Arrays.stream(args[i + 1].split(";")).map(ReadoutSurvey::readout).forEach(readouts::add);
        case "--seed" -> seed = Long.parseLong(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (readouts.isEmpty()) {
      readouts.add(Readout.FINAL);
    }
    for (String[] task : tasks) {
      String[] specs = task[1].split("\\|");
      Dataset data = DatasetSource.read(specs[0]);
      Dataset test = specs.length > 1 ? DatasetSource.read(specs[1]) : null;
      String[] named = task[0].split("/", 2);
      for (Path stored : models) {
        Path model = named.length < 2 ? stored : inputLength(stored, Integer.parseInt(named[1]));
        for (Readout readout : readouts) {
          long start = System.nanoTime();
          FrozenScoring.Result r;
          try (AudioEmbedder embedder = AudioEmbedder.open(model, readout, 16, Execution.CPU)) {
            r = FrozenScoring.score(data, test, seed, clip -> new float[][] {
                embedder.embedWindows(clip.file(), embedder.defaultWindows(), Aggregation.MEAN).aggregate()});
          } catch (RuntimeException e) {
            System.out.println(Json.line(Map.of("model", stored.toString(), "task", task[0], "readout",
                readout.describe(), "error", String.valueOf(e.getMessage()))));
            failures++;
            continue;
          }
          Map<String, Object> line = new LinkedHashMap<>();
          line.put("model", stored.toString());
          line.put("task", task[0]);
          line.put("readout", readout.describe());
          line.put(r.score().metric(), r.score().mean());
          line.put("std", r.score().std());
          line.put("effectiveRank", r.spread().effectiveRank());
          line.put("meanStd", r.spread().meanStd());
          line.put("meanCosine", r.spread().meanCosine());
          line.put("seconds", (System.nanoTime() - start) / 1e9);
          System.out.println(Json.line(line));
          System.out.flush();
        }
      }
    }
    return failures;
  }

  private static void deleteTree(Path root) throws java.io.IOException {
    if (!java.nio.file.Files.exists(root)) {
      return;
    }
    try (var paths = java.nio.file.Files.walk(root)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        java.nio.file.Files.deleteIfExists(p);
      }
    }
  }

  /** {@code dir}'s model rebuilt for inputs of {@code frames} frames, in a temporary folder. */
  static Path inputLength(Path dir, int frames) throws java.io.IOException {
    Path temporary = java.nio.file.Files.createTempDirectory("frames-" + frames);
    TEMPORARY.add(temporary);
    Path out = temporary.resolve(dir.getFileName().toString());
    dev.earshot.model.InputLength.write(dir, frames, out);
    return out;
  }

  /** A model directory with {@code dir}'s manifest and fresh random weights (seed 7), in a temporary folder. */
  static Path randomTwin(Path dir) throws java.io.IOException {
    ModelDirectory.Manifest m = ModelDirectory.readManifest(dir);
    Path temporary = java.nio.file.Files.createTempDirectory("random-twin");
    TEMPORARY.add(temporary);
    Path out = temporary.resolve(dir.getFileName().toString());
    try (TensorScope scope = TensorScope.newBaseScope()) {
      ModelDirectory.write(out, m.withReadout(null), StateDict.of(ModelDirectory.build(m, scope, 7)));
    }
    return out;
  }

  /** {@code POOLING@LAYERS[+std][+bands]}, e.g. {@code cls@-1} or {@code mean@1,2+std+bands}. */
  static Readout readout(String text) {
    List<String> terms = Arrays.asList(text.split("\\+"));
    List<String> flags = terms.subList(1, terms.size());
    for (String flag : flags) {
      if (!flag.equals("std") && !flag.equals("bands")) {
        throw new IllegalArgumentException("readout " + text + ": unknown flag +" + flag + " (+std, +bands)");
      }
    }
    boolean std = flags.contains("std");
    boolean bands = flags.contains("bands");
    String[] parts = terms.get(0).split("@", 2);
    Pooling pooling = parts[0].equals("own") ? null : Pooling.parse(parts[0]);
    List<Integer> layers = parts.length < 2 ? List.of(-1)
        : Arrays.stream(parts[1].split(",")).map(String::strip).map(Integer::parseInt).toList();
    return new Readout(pooling, layers, std, bands);
  }
}
