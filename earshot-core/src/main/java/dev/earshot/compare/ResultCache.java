package dev.earshot.compare;

import com.fasterxml.jackson.databind.JsonNode;
import dev.earshot.ConfigException;
import dev.earshot.features.Normalization;
import dev.earshot.io.AtomicFile;
import dev.earshot.eval.EmbeddingSpread;
import dev.earshot.io.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Everything a comparison keeps under its output folder, so that a rerun skips what is done:
 * <pre>
 * OUT/normalization.json                         the pool's [mean, std]
 * OUT/pretrain/METHOD/                           a pretraining run (resumed from its checkpoint)
 * OUT/pretrain/METHOD-budget.json                the step count a minute budget became
 * OUT/pretrain/METHOD-calibration/               the timed calibration run
 * OUT/tasks/TASK/ROW/EVALUATION[/seed-S]/results.json   one evaluation (probe/finetune per seed)
 * OUT/tasks/TASK/METHOD/progress/step-N/results.json    the frozen score of a pretraining snapshot
 * OUT/tasks/TASK/scratch-MODEL/random-encoder/   the random encoder of an architecture
 * OUT/tasks/TASK/ROW/encoder-FRAMES/             an encoder rebuilt for a task's own input length
 * </pre>
 * A results file is written beside its target and renamed into place, so an interrupted write is redone. Each
 * result and derived encoder folder also keeps the inputs it was computed from ({@link CachedInputs}).
 */
public final class ResultCache {
  private static final String RESULTS = "results.json";
  private final Path out;

  public ResultCache(Path out) {
    this.out = out;
  }

  /** The output folder. */
  public Path root() {
    return out;
  }

  /** The pool's normalisation, if measured before. */
  public Normalization normalization() {
    Path file = out.resolve("normalization.json");
    try {
      if (!Files.exists(file)) {
        return null;
      }
      double[] v = Json.read(file, double[].class);
      return new Normalization(v[0], v[1]);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Keeps the pool's normalisation. */
  public void save(Normalization n) {
    write(out.resolve("normalization.json"), new double[] {n.mean(), n.std()});
  }

  /** The pretraining run of {@code method}. */
  public Path pretrainRun(String method) {
    return out.resolve("pretrain").resolve(method);
  }

  /** The calibration run of {@code method}'s budget. */
  public Path calibrationRun(String method) {
    return out.resolve("pretrain").resolve(method + "-calibration");
  }

  /** The step count {@code method}'s minute budget became, if calibrated before. */
  public OptionalLong budgetSteps(String method) {
    Path file = budgetFile(method);
    try {
      return Files.exists(file) ? OptionalLong.of(Json.read(file, long.class)) : OptionalLong.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Keeps the step count of {@code method}'s budget. */
  public void saveBudgetSteps(String method, long steps) {
    write(budgetFile(method), steps);
  }

  private Path budgetFile(String method) {
    return out.resolve("pretrain").resolve(method + "-budget.json");
  }

  /** The folder of one evaluation of a row on a task. */
  public Path evaluation(String task, String row, Evaluation evaluation) {
    return rowDir(task, row).resolve(evaluation.key());
  }

  /** The folder of the frozen score of {@code method}'s snapshot at {@code step}. */
  public Path progress(String task, String method, long step) {
    return rowDir(task, method).resolve("progress").resolve("step-" + step);
  }

  /** The random encoder of {@code model}, shared by its scratch row and the start of its methods' curves. */
  public Path randomEncoder(String task, String model) {
    return rowDir(task, Entry.SCRATCH + "-" + model).resolve("random-encoder");
  }

  /** An encoder of {@code row} rebuilt for {@code frames} input frames. */
  public Path encoderAt(String task, String row, String name, int frames) {
    return rowDir(task, row).resolve(name + "-" + frames);
  }

  private Path rowDir(String task, String row) {
    return out.resolve("tasks").resolve(task).resolve(row);
  }

  /** True when {@code dir} holds a finished result. */
  public static boolean done(Path dir) {
    return Files.exists(dir.resolve(RESULTS));
  }

  /**
   * The per-fold metrics of a finished fine-tuning or probe ({@code folds[].metrics}), refusing one computed at
   * another input length than {@code frames}.
   */
  public static List<Map<String, Double>> foldMetrics(Path dir, int frames) {
    JsonNode root = read(dir);
    JsonNode recorded = root.path("recipe").path("frames");
    if (recorded.isNumber() && recorded.asInt() != frames) {
      throw stale(dir, recorded.asInt(), frames);
    }
    List<Map<String, Double>> runs = new ArrayList<>();
    for (JsonNode fold : root.get("folds")) {
      Map<String, Double> m = new LinkedHashMap<>();
      fold.get("metrics").properties().forEach(e -> m.put(e.getKey(), e.getValue().asDouble()));
      runs.add(m);
    }
    return runs;
  }

  /** The score of a finished frozen evaluation, refusing one computed at another input length. */
  public static Score frozenScore(Path dir, int frames) {
    JsonNode root = read(dir);
    if (root.path("frames").isNumber() && root.get("frames").asInt() != frames) {
      throw stale(dir, root.get("frames").asInt(), frames);
    }
    JsonNode summary = root.get("summary");
    String metric = summary.has("accuracy") ? "accuracy" : "mAP";
    return new Score(metric, summary.get(metric).get(0).asDouble(), summary.get(metric).get(1).asDouble());
  }

  /** The spread of a finished frozen clip evaluation's embeddings, or null where none was recorded. */
  public static EmbeddingSpread frozenSpread(Path dir) {
    JsonNode spread = read(dir).get("spread");
    return spread == null || spread.isNull() ? null : Json.convert(spread, EmbeddingSpread.class);
  }

  /** Writes a frozen evaluation's results. */
  public static void saveFrozen(Path dir, Map<String, Object> results) {
    write(dir.resolve(RESULTS), results);
  }

  private static ConfigException stale(Path dir, int recorded, int asked) {
    return new ConfigException(dir + ": computed at " + recorded + " frames, but this comparison asks for " + asked
        + "; use another --out (or remove the folder) to recompute");
  }

  private static JsonNode read(Path dir) {
    try {
      return Json.tree(dir.resolve(RESULTS));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(Path file, Object value) {
    try {
      AtomicFile.writeString(file, Json.pretty(value));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
