package dev.earshot.compare;

import com.fasterxml.jackson.databind.JsonNode;
import dev.earshot.io.Json;
import dev.earshot.plot.BarChart;
import dev.earshot.plot.LineChart;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The comparison's pictures: fine-tuning, probe and frozen scores per task and method (bars), each method's
 * pretraining loss against wall-clock time (scaled by its first value, since the methods' losses are not on
 * one scale), and the frozen-embedding score of each pretraining snapshot against pretraining time.
 */
final class ComparisonPlots {
  private ComparisonPlots() {}

  static void write(Path out, Report report) throws IOException {
    for (Evaluation kind : report.plan().evaluations()) {
      Map<String, Map<String, Double>> values = new LinkedHashMap<>(); // method -> task -> score
      Map<String, Map<String, Double>> spread = new LinkedHashMap<>(); // method -> task -> std
      for (Row r : report.rows()) {
        Map<String, Double> byTask = new LinkedHashMap<>();
        Map<String, Double> stdByTask = new LinkedHashMap<>();
        r.tasks().forEach((task, s) -> {
          if (s.containsKey(kind.key())) {
            byTask.put(task, 100 * s.get(kind.key()).mean());
            stdByTask.put(task, 100 * s.get(kind.key()).std());
          }
        });
        if (!byTask.isEmpty()) {
          values.put(r.name(), byTask);
          spread.put(r.name(), stdByTask);
        }
      }
      BarChart.write(out.resolve("scores-" + kind.key() + ".png"), "test score per task (" + kind.title()
          + "; bars: ± one standard deviation)", "score (%)", values, spread);
    }
    List<LineChart.Series> curves = new ArrayList<>();
    for (Row r : report.rows()) {
      Path metrics = new ResultCache(out).pretrainRun(r.method()).resolve("metrics.jsonl");
      if (!Files.exists(metrics)) {
        continue;
      }
      List<Double> x = new ArrayList<>();
      List<Double> y = new ArrayList<>();
      Double first = null;
      for (String line : Files.readAllLines(metrics)) {
        JsonNode n = Json.tree(line);
        double loss = n.path("loss").asDouble(Double.NaN);
        if (!Double.isFinite(loss)) {
          continue;
        }
        first = first == null ? loss : first;
        x.add(n.path("seconds").asDouble());
        y.add(loss / first);
      }
      curves.add(new LineChart.Series(r.name(), x, y));
    }
    if (!curves.isEmpty()) {
      LineChart.write(out.resolve("pretraining-loss.png"), "pretraining loss (relative to its first value)",
          "seconds", "loss / first loss", curves, true);
    }
    List<LineChart.Series> progress = new ArrayList<>();
    for (Row r : report.rows()) {
      if (!r.progress().isEmpty()) {
        progress.add(new LineChart.Series(r.name(), r.progress().stream().map(Point::seconds).toList(),
            r.progress().stream().map(p -> 100 * p.score()).toList()));
      }
    }
    if (!progress.isEmpty()) {
      String task = report.plan().tasks().get(0).name();
      LineChart.write(out.resolve("score-vs-time.png"), "frozen clip-embedding score on " + task
          + " against pretraining time", "pretraining seconds", "score (%)", progress, false);
    }
  }
}
