package dev.earshot.train;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.earshot.EarshotException;
import dev.earshot.io.AtomicFile;
import dev.earshot.io.Json;
import dev.earshot.plot.LineChart;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A run's metrics: one JSON object per logged step in {@code metrics.jsonl} (appended as training goes),
 * rewritten as {@code metrics.csv} and drawn as {@code curves.png} on demand. On resume the lines after the
 * checkpoint's step are dropped, so the log equals that of an uninterrupted run.
 */
public final class MetricsLog {
  private final Path dir;
  private final Path jsonl;
  private final List<Map<String, Double>> rows = new ArrayList<>();

  public MetricsLog(Path dir) {
    this.dir = dir;
    this.jsonl = dir.resolve("metrics.jsonl");
  }

  /**
   * Loads existing lines up to {@code step} and rewrites the file (atomically) without the later ones. A last
   * line cut short by a kill (no newline, or not valid JSON) is dropped; a damaged line before it is an error.
   */
  public void resumeAt(long step) {
    rows.clear();
    if (!Files.exists(jsonl)) {
      return;
    }
    try {
      String text = Files.readString(jsonl, StandardCharsets.UTF_8);
      List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
      // what follows the last newline is "" or a record whose newline never reached the disk (a killed run,
      // past any checkpoint): dropped
      lines.remove(lines.size() - 1);
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i);
        if (line.isBlank()) {
          continue;
        }
        Map<String, Double> r;
        try {
          r = Json.read(line, new TypeReference<LinkedHashMap<String, Double>>() { });
        } catch (IOException e) {
          throw new EarshotException(jsonl + ": line " + (i + 1) + " is not a metrics record (" + e.getClass()
              .getSimpleName() + "); the log is damaged before its last line");
        }
        if (r.getOrDefault("step", 0.0) <= step) {
          rows.add(r);
        }
      }
      List<String> keep = new ArrayList<>();
      for (Map<String, Double> r : rows) {
        keep.add(Json.line(r));
      }
      AtomicFile.writeLines(jsonl, keep);
    } catch (IOException e) {
      throw new UncheckedIOException(jsonl + ": " + e.getMessage(), e);
    }
  }

  /** Appends one line. */
  public void append(Map<String, Double> row) {
    rows.add(row);
    try {
      Files.createDirectories(dir);
      Files.writeString(jsonl, Json.line(row) + "\n", StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(jsonl + ": " + e.getMessage(), e);
    }
  }

  public List<Map<String, Double>> rows() {
    return List.copyOf(rows);
  }

  /** Writes metrics.csv and curves.png (one series per metric except step, lr, time). */
  public void writeSummaries(String title) throws IOException {
    Set<String> keys = new LinkedHashSet<>();
    rows.forEach(r -> keys.addAll(r.keySet()));
    List<String> csv = new ArrayList<>();
    csv.add(String.join(",", keys));
    for (Map<String, Double> r : rows) {
      List<String> cells = new ArrayList<>();
      for (String k : keys) {
        Double v = r.get(k);
        cells.add(v == null ? "" : (v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString(v.longValue()) : v.toString()));
      }
      csv.add(String.join(",", cells));
    }
    AtomicFile.writeLines(dir.resolve("metrics.csv"), csv);
    List<String> plotted = new ArrayList<>(keys);
    plotted.removeAll(List.of("step", "lr", "seconds", "grad_norm"));
    if (!rows.isEmpty() && !plotted.isEmpty()) {
      LineChart.curves(dir.resolve("curves.png"), title, rows, plotted);
    }
  }
}
