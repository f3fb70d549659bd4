package dev.earshot.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A CSV manifest with a header naming at least {@code file} and {@code label} columns, optionally
 * {@code group} (fold or split). Labels may list several classes separated by {@code ;} (multi-label).
 * Relative paths resolve against the manifest's folder. Classes are the sorted distinct labels. Fields may be
 * double-quoted.
 */
public final class CsvManifest {
  private CsvManifest() {}

  public static Dataset read(Path csv) {
    List<String> lines = AudioFiles.lines(csv);
    if (lines.isEmpty()) {
      throw new DatasetFormatException(csv, "empty manifest");
    }
    List<String> header = fields(lines.get(0));
    int fileCol = header.indexOf("file");
    int labelCol = header.indexOf("label");
    int groupCol = header.indexOf("group");
    if (fileCol < 0) {
      throw new DatasetFormatException(csv, "header needs a 'file' column (and 'label', optionally 'group'), got " + header);
    }
    Path base = csv.toAbsolutePath().getParent();
    TreeSet<String> names = new TreeSet<>();
    List<String[]> rows = new ArrayList<>();
    boolean multi = false;
    for (int i = 1; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) {
        continue;
      }
      List<String> f = fields(lines.get(i));
      if (f.size() != header.size()) {
        throw new DatasetFormatException(csv, "line " + (i + 1) + " has " + f.size() + " fields, the header " + header.size());
      }
      String label = labelCol < 0 ? "" : f.get(labelCol);
      for (String l : label.split(";")) {
        if (!l.isBlank()) {
          names.add(l.strip());
        }
      }
      multi |= label.contains(";");
      rows.add(new String[] {f.get(fileCol), label, groupCol < 0 ? "" : f.get(groupCol)});
    }
    List<String> classes = new ArrayList<>(names);
    Map<String, Integer> index = new LinkedHashMap<>();
    for (int i = 0; i < classes.size(); i++) {
      index.put(classes.get(i), i);
    }
    List<Clip> clips = new ArrayList<>();
    for (String[] r : rows) {
      List<Integer> labels = new ArrayList<>();
      for (String l : r[1].split(";")) {
        if (!l.isBlank()) {
          labels.add(index.get(l.strip()));
        }
      }
      clips.add(new Clip(r[0], base.resolve(r[0]), labels.stream().mapToInt(Integer::intValue).toArray(), r[2]));
    }
    return new Dataset(csv.getFileName().toString(), clips, classes, multi);
  }

  /** Splits one CSV line, honouring double quotes ("" inside quotes is a quote). */
  static List<String> fields(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          cur.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          cur.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        out.add(cur.toString().strip());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    out.add(cur.toString().strip());
    return out;
  }
}
