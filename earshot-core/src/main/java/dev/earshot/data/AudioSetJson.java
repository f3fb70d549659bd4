package dev.earshot.data;

import com.fasterxml.jackson.databind.JsonNode;
import dev.earshot.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * AudioSet-style data files as AST/SSAST use them: a JSON {@code {"data": [{"wav": PATH, "labels":
 * "/m/09x0r,/m/05zppz"}, ...]}} plus {@code class_labels_indices.csv} (index, mid, display_name). Multi-label.
 * Relative wav paths resolve against the JSON's folder.
 */
public final class AudioSetJson {
  private AudioSetJson() {}

  public static Dataset read(Path json, Path labelsCsv) {
    List<String> lines = AudioFiles.lines(labelsCsv);
    List<String> classes = new ArrayList<>();
    Map<String, Integer> byMid = new HashMap<>();
    for (int i = 1; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) {
        continue;
      }
      List<String> f = CsvManifest.fields(lines.get(i));
      if (f.size() < 3) {
        throw new DatasetFormatException(labelsCsv, "line " + (i + 1) + ": expected index,mid,display_name");
      }
      byMid.put(f.get(1), classes.size());
      classes.add(f.get(2));
    }
    JsonNode root;
    try {
      root = Json.tree(json);
    } catch (IOException e) {
      throw new DatasetFormatException(json, "malformed JSON: " + e.getMessage());
    }
    JsonNode data = root.path("data");
    if (!data.isArray()) {
      throw new DatasetFormatException(json, "expected {\"data\": [ {\"wav\": ..., \"labels\": ...}, ... ]}");
    }
    Path base = json.toAbsolutePath().getParent();
    List<Clip> clips = new ArrayList<>();
    for (JsonNode item : data) {
      String wav = item.path("wav").asText(null);
      if (wav == null) {
        throw new DatasetFormatException(json, "an entry has no 'wav'");
      }
      String[] mids = item.path("labels").asText("").split(",");
      List<Integer> labels = new ArrayList<>();
      for (String mid : mids) {
        if (mid.isBlank()) {
          continue;
        }
        Integer idx = byMid.get(mid.strip());
        if (idx == null) {
          throw new DatasetFormatException(json, "label " + mid + " of " + wav + " is not in " + labelsCsv.getFileName());
        }
        labels.add(idx);
      }
      Path file = Path.of(wav).isAbsolute() ? Path.of(wav) : base.resolve(wav);
      clips.add(new Clip(wav, file, labels.stream().mapToInt(Integer::intValue).toArray(), ""));
    }
    return new Dataset(json.getFileName().toString(), clips, classes, true);
  }

  /** {@code class_labels_indices.csv} beside the JSON, or in its parent folder. */
  public static Path defaultLabels(Path json) {
    Path dir = json.toAbsolutePath().getParent();
    for (Path candidate : new Path[] {dir.resolve("class_labels_indices.csv"), dir.getParent() == null ? null
        : dir.getParent().resolve("class_labels_indices.csv")}) {
      if (candidate != null && Files.exists(candidate)) {
        return candidate;
      }
    }
    throw new DatasetFormatException(json, "class_labels_indices.csv not found beside it; give audioset:DATA.json,LABELS.csv");
  }
}
