package dev.earshot.serve;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.earshot.io.Json;
import dev.earshot.infer.Prediction;
import dev.earshot.infer.TimeSteps;
import dev.earshot.infer.WindowValues;
import dev.earshot.infer.WindowedResult;
import java.util.List;
import java.util.function.Function;

/**
 * The JSON of windowed answers, shared by {@code earshot classify --json} and the HTTP service: the clip's
 * length, window, hop, whether it was cropped, how the aggregate was formed, the aggregate, and every window
 * with its start and end in seconds.
 */
public final class WindowedJson {

  private WindowedJson() {}

  /** A classification: {@code predictions} (aggregate top-k) and {@code windows[].predictions}. */
  public static ObjectNode classification(WindowedResult scores, Function<float[], List<Prediction>> top) {
    ObjectNode node = header(scores);
    predictions(node.putArray("predictions"), top.apply(scores.aggregate()));
    ArrayNode windows = node.putArray("windows");
    for (WindowValues w : scores.windows()) {
      ObjectNode wn = window(windows, w);
      predictions(wn.putArray("predictions"), top.apply(w.values()));
    }
    return node;
  }

  /** Clip embeddings: {@code embedding} (the aggregate) and {@code windows[].embedding}. */
  public static ObjectNode embedding(WindowedResult embeddings) {
    ObjectNode node = header(embeddings);
    node.put("dimension", embeddings.aggregate().length);
    floats(node.putArray("embedding"), embeddings.aggregate());
    ArrayNode windows = node.putArray("windows");
    for (WindowValues w : embeddings.windows()) {
      floats(window(windows, w).putArray("embedding"), w.values());
    }
    return node;
  }

  /** Time-step embeddings: {@code timestamps_ms} and {@code embeddings} (steps x D). */
  public static ObjectNode timeSteps(String input, TimeSteps steps) {
    ObjectNode node = Json.object();
    node.put("input", input);
    node.put("cropped", steps.cropped());
    node.put("dimension", steps.embeddings().length == 0 ? 0 : steps.embeddings()[0].length);
    ArrayNode times = node.putArray("timestamps_ms");
    for (double t : steps.timestampsMs()) {
      times.add(Math.round(t * 1000) / 1000.0);
    }
    ArrayNode rows = node.putArray("embeddings");
    for (float[] row : steps.embeddings()) {
      floats(rows.addArray(), row);
    }
    return node;
  }

  /** Seconds rounded to the millisecond. */
  public static double seconds(double s) {
    return Math.round(s * 1000) / 1000.0;
  }

  private static ObjectNode header(WindowedResult r) {
    ObjectNode node = Json.object();
    node.put("input", r.source());
    node.put("duration_s", seconds(r.durationSeconds()));
    node.put("window_s", seconds(r.windowSeconds()));
    node.put("hop_s", seconds(r.hopSeconds()));
    node.put("cropped", r.cropped());
    node.put("aggregate", r.aggregation().label());
    return node;
  }

  private static ObjectNode window(ArrayNode windows, WindowValues w) {
    ObjectNode wn = windows.addObject();
    wn.put("start_s", seconds(w.startSeconds()));
    wn.put("end_s", seconds(w.endSeconds()));
    return wn;
  }

  private static void predictions(ArrayNode into, List<Prediction> top) {
    for (Prediction p : top) {
      into.addObject().put("label", p.label()).put("index", p.index()).put("score", p.score());
    }
  }

  private static void floats(ArrayNode into, float[] values) {
    for (float v : values) {
      into.add(v);
    }
  }
}
