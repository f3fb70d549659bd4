package dev.earshot.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * ESC-50 in its release layout: {@code meta/esc50.csv} (filename, fold, target, category, esc10, src_file,
 * take) and {@code audio/<filename>}. The group of each clip is its fold ("1" .. "5") for 5-fold evaluation.
 */
public final class Esc50 {
  private Esc50() {}

  public static Dataset read(Path root) {
    Path meta = root.resolve("meta").resolve("esc50.csv");
    if (!Files.exists(meta)) {
      throw new DatasetFormatException(root, "not an ESC-50 folder: meta/esc50.csv is missing");
    }
    List<String> lines = AudioFiles.lines(meta);
    List<String> header = CsvManifest.fields(lines.get(0));
    int file = header.indexOf("filename");
    int fold = header.indexOf("fold");
    int target = header.indexOf("target");
    int category = header.indexOf("category");
    if (file < 0 || fold < 0 || target < 0 || category < 0) {
      throw new DatasetFormatException(meta, "header must name filename, fold, target, category; got " + header);
    }
    List<String> classes = new ArrayList<>();
    List<Clip> clips = new ArrayList<>();
    for (int i = 1; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) {
        continue;
      }
      List<String> f = CsvManifest.fields(lines.get(i));
      int t = Integer.parseInt(f.get(target));
      while (classes.size() <= t) {
        classes.add(null);
      }
      classes.set(t, f.get(category));
      clips.add(new Clip(f.get(file), root.resolve("audio").resolve(f.get(file)), new int[] {t}, f.get(fold)));
    }
    for (int i = 0; i < classes.size(); i++) {
      if (classes.get(i) == null) {
        classes.set(i, "class " + i);
      }
    }
    return new Dataset("ESC-50", clips, classes, false);
  }
}
