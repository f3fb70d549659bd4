package dev.earshot.compare;

import dev.earshot.data.Dataset;
import dev.earshot.data.DatasetSource;
import dev.earshot.features.FbankConfig;
import dev.earshot.features.FeatureStatistics;
import dev.earshot.features.Normalization;
import dev.earshot.audio.AudioLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Pretrains several methods on the same unlabelled pool under the same budget and evaluates every resulting
 * encoder — and a randomly initialised one ("scratch") — on every task in up to four ways ({@link Evaluation}):
 * linear probe, full fine-tuning (both with the {@code finetune-cpu} recipe), and frozen-embedding shallow
 * classifiers in the style of HEAR. Everything is written under the output folder as it finishes
 * ({@link ResultCache}); a rerun skips what exists and resumes an interrupted pretraining from its checkpoint.
 * The pieces: {@link Plan} (what), {@link PretrainingStage}, {@link SupervisedEvaluation},
 * {@link FrozenEvaluation} (how), {@link ReportFiles} (results.json, results.md, plots).
 */
public final class Comparison {
  private Comparison() {}

  /** Runs (or resumes) the comparison {@code plan} in {@code out}. */
  public static Report run(Plan plan, Path out, Progress progress) {
    ResultCache cache = new ResultCache(out);
    Dataset pool = DatasetSource.read(plan.pool());
    Normalization norm = normalization(pool, plan.frames(), cache);
    progress.log(String.format(Locale.ROOT, "normalisation of the pool: mean %.4f, std %.4f", norm.mean(),
        norm.std()));
    List<TaskData> tasks = plan.tasks().stream().map(t -> TaskData.read(t, plan.frames())).toList();
    PretrainingStage pretraining = new PretrainingStage(plan, norm, pool, cache, progress);
    SupervisedEvaluation supervised = new SupervisedEvaluation(plan, norm);
    FrozenEvaluation frozen = new FrozenEvaluation(plan, norm, cache);
    List<Row> rows = new ArrayList<>();
    for (Entry entry : plan.entries()) {
      if (entry instanceof Entry.Baseline) {
        rows.add(baselineRow(plan, entry, tasks, frozen, cache, progress));
        continue;
      }
      Init init = new Init.Scratch(entry.model(), entry.frames(),
          entry instanceof Entry.Pretrained p ? p.readout() : ((Entry.Scratch) entry).readout());
      long steps = 0;
      double seconds = 0;
      List<Point> curve = List.of();
      if (entry instanceof Entry.Pretrained p) {
        PretrainingStage.Pretrained done = pretraining.run(p);
        init = new Init.FromModel(done.modelDir(), entry.model());
        steps = done.steps();
        seconds = done.seconds();
        if (plan.runs(Evaluation.FROZEN)) {
          curve = progressCurve(p, done, tasks.get(0).at(entry.frames()), frozen, cache);
          progress.log(p.name() + " frozen score during pretraining: " + curve.stream()
              .map(pt -> String.format(Locale.ROOT, "%.0f s %.3f", pt.seconds(), pt.score())
                  + (pt.spread() == null ? ""
                      : String.format(Locale.ROOT, " (rank %.1f)", pt.spread().effectiveRank())))
              .collect(Collectors.joining(", ")));
        }
      }
      Map<String, Map<String, Score>> scores = new LinkedHashMap<>();
      for (TaskData all : tasks) {
        TaskData task = all.at(entry.frames());
        Map<String, Score> s = new LinkedHashMap<>();
        for (Evaluation e : plan.evaluations()) {
          Path dir = cache.evaluation(task.name(), entry.name(), e);
          Init from = init;
          s.put(e.key(), e.supervised()
              ? supervised.run(from, task, e, dir, fold -> progress.listener(entry.name() + " " + task.name() + " "
                  + e.key() + " " + fold, null))
              : frozen.run(from, entry.name(), task, e == Evaluation.FRAMES, dir));
        }
        scores.put(task.name(), s);
        progress.log(entry.name() + " on " + task.name() + ": " + describe(s));
      }
      rows.add(new Row(entry.methodName(), entry.model(), steps, seconds, scores, curve));
    }
    Report report = Report.of(plan, norm, rows);
    ReportFiles.write(out, report);
    return report;
  }

  /** The log-mel-statistics row: its frozen clip score on every task (when frozen evaluations run). */
  private static Row baselineRow(Plan plan, Entry entry, List<TaskData> tasks, FrozenEvaluation frozen,
      ResultCache cache, Progress progress) {
    Map<String, Map<String, Score>> scores = new LinkedHashMap<>();
    for (TaskData task : tasks) {
      Map<String, Score> s = new LinkedHashMap<>();
      if (plan.runs(Evaluation.FROZEN)) {
        s.put(Evaluation.FROZEN.key(), frozen.baseline(task, cache.evaluation(task.name(), entry.name(),
            Evaluation.FROZEN)));
        progress.log(entry.name() + " on " + task.name() + ": " + describe(s));
      }
      scores.put(task.name(), s);
    }
    return new Row(entry.methodName(), entry.model(), 0, 0, scores, List.of());
  }

  private static String describe(Map<String, Score> scores) {
    return scores.entrySet().stream().map(e -> Evaluation.parse(e.getKey()).column() + " "
        + String.format(Locale.ROOT, "%.3f±%.3f", e.getValue().mean(), e.getValue().std()))
        .collect(Collectors.joining(", "));
  }

  /**
   * The frozen clip-embedding score on one task of the random architecture (0 s: the scratch row's frozen
   * evaluation, the same encoder and cache) and of every pretraining snapshot.
   */
  private static List<Point> progressCurve(Entry.Pretrained entry, PretrainingStage.Pretrained done, TaskData task,
      FrozenEvaluation frozen, ResultCache cache) {
    List<Point> curve = new ArrayList<>();
    Entry.Scratch scratch = new Entry.Scratch(entry.model(), entry.frames(), entry.readout());
    Path randomDir = cache.evaluation(task.name(), scratch.name(), Evaluation.FROZEN);
    curve.add(new Point(0, 0, frozen.run(new Init.Scratch(entry.model(), entry.frames(), entry.readout()),
        scratch.name(), task,
        false, randomDir).mean(), ResultCache.frozenSpread(randomDir)));
    for (long step : snapshotSteps(done.run().resolve("snapshots"))) {
      double seconds = 0;
      for (Map<String, Double> row : done.log().rows()) { // the last logged time at or before the snapshot
        if (row.get("step") <= step) {
          seconds = row.getOrDefault("seconds", seconds);
        }
      }
      Init snapshot = new Init.FromModel(done.run().resolve("snapshots").resolve("step-" + step), entry.model());
      Path dir = cache.progress(task.name(), entry.name(), step);
      curve.add(new Point(step, seconds, frozen.run(snapshot, entry.name(), task, false, dir).mean(),
          ResultCache.frozenSpread(dir)));
    }
    return curve;
  }

  private static List<Long> snapshotSteps(Path snapshots) {
    if (!Files.isDirectory(snapshots)) {
      return List.of();
    }
    try (var list = Files.list(snapshots)) {
      return list.map(p -> p.getFileName().toString()).filter(n -> n.matches("step-\\d+"))
          .map(n -> Long.parseLong(n.substring(5))).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The pool's statistics (on up to 500 evenly spaced clips), measured once and kept in the cache. */
  private static Normalization normalization(Dataset pool, int frames, ResultCache cache) {
    Normalization known = cache.normalization();
    if (known != null) {
      return known;
    }
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < pool.size() && files.size() < 500; i += Math.max(1, pool.size() / 500)) {
      files.add(pool.clips().get(i).file());
    }
    Normalization n = FeatureStatistics.compute(files, AudioLoader.DEFAULT, FbankConfig.ast(), frames, d -> { })
        .toNormalization();
    cache.save(n);
    return n;
  }
}
