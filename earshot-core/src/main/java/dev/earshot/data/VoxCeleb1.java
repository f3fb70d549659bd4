package dev.earshot.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * VoxCeleb1 speaker identification: {@code iden_split.txt} ("1 id10001/1zcIwhmdeo4/00001.wav"; 1 = train,
 * 2 = validation, 3 = test) and the audio under {@code wav/} (or beside the split file). Classes are the
 * speaker ids, sorted.
 */
public final class VoxCeleb1 {
  private VoxCeleb1() {}

  public static Dataset read(Path root) {
    Path split = root.resolve("iden_split.txt");
    if (!Files.exists(split)) {
      throw new DatasetFormatException(root, "not a VoxCeleb1 folder: iden_split.txt is missing");
    }
    Path audio = Files.isDirectory(root.resolve("wav")) ? root.resolve("wav") : root;
    List<String[]> rows = new ArrayList<>();
    Map<String, Integer> speakers = new TreeMap<>();
    int n = 0;
    for (String line : AudioFiles.lines(split)) {
      n++;
      if (line.isBlank()) {
        continue;
      }
      String[] parts = line.strip().split("\\s+");
      if (parts.length != 2 || !parts[0].matches("[123]")) {
        throw new DatasetFormatException(split, "line " + n + ": expected '<1|2|3> <speaker>/<video>/<file>.wav'");
      }
      speakers.put(parts[1].split("/")[0], 0);
      rows.add(parts);
    }
    List<String> classes = new ArrayList<>(speakers.keySet());
    for (int i = 0; i < classes.size(); i++) {
      speakers.put(classes.get(i), i);
    }
    List<Clip> clips = new ArrayList<>();
    for (String[] r : rows) {
      String group = switch (r[0]) {
        case "1" -> "train";
        case "2" -> "validation";
        default -> "test";
      };
      clips.add(new Clip(r[1], audio.resolve(r[1]), new int[] {speakers.get(r[1].split("/")[0])}, group));
    }
    return new Dataset("VoxCeleb1", clips, classes, false);
  }
}
