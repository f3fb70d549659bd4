package dev.earshot.recipe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * one scale), and the fine-tuning score against pretraining time.
 */
final class ComparisonPlots {
  private ComparisonPlots() {}

  static void write(Path out, Comparison.Report report) throws IOException {
    for (String kind : List.of("finetune", "probe", "frozen")) {
      Map<String, Map<String, Double>> values = new LinkedHashMap<>(); // method -> task -> score
      for (Comparison.Row r : report.rows()) {
        Map<String, Double> byTask = new LinkedHashMap<>();
        r.tasks().forEach((task, s) -> byTask.put(task, 100 * s.get(kind).mean()));
        values.put(r.method(), byTask);
      }
      BarChart.write(out.resolve("scores-" + kind + ".png"), "test score per task (" + kind + ")", "score (%)",
          values);
    }
    List<LineChart.Series> curves = new ArrayList<>();
    ObjectMapper json = new ObjectMapper();
    for (Comparison.Row r : report.rows()) {
      Path metrics = out.resolve("pretrain").resolve(r.method()).resolve("metrics.jsonl");
      if (!Files.exists(metrics)) {
        continue;
      }
      List<Double> x = new ArrayList<>();
      List<Double> y = new ArrayList<>();
      Double first = null;
      for (String line : Files.readAllLines(metrics)) {
        JsonNode n = json.readTree(line);
        double loss = n.path("loss").asDouble(Double.NaN);
        if (!Double.isFinite(loss)) {
          continue;
        }
        first = first == null ? loss : first;
        x.add(n.path("seconds").asDouble());
        y.add(loss / first);
      }
      curves.add(new LineChart.Series(r.method(), x, y));
    }
    if (!curves.isEmpty()) {
      LineChart.write(out.resolve("pretraining-loss.png"), "pretraining loss (relative to its first value)",
          "seconds", "loss / first loss", curves, true);
    }
    List<LineChart.Series> points = new ArrayList<>();
    for (Comparison.Row r : report.rows()) {
      double mean = r.tasks().values().stream().mapToDouble(s -> s.get("finetune").mean()).average().orElse(0);
      points.add(new LineChart.Series(r.method(), List.of(r.pretrainSeconds()), List.of(100 * mean)));
    }
    LineChart.write(out.resolve("score-vs-time.png"), "fine-tuned score (mean over tasks) against pretraining time",
        "pretraining seconds", "score (%)", points, false);
  }
}
