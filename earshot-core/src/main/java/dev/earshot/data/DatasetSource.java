package dev.earshot.data;

import dev.earshot.ConfigException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A dataset named on the command line as {@code FORMAT:PATH}: {@code folder}, {@code csv}, {@code esc50},
 * {@code speechcommands}, {@code audioset} (DATA.json[,LABELS.csv]), {@code voxceleb1}, {@code iemocap},
 * {@code unlabeled}. A bare path is a folder of class subfolders.
 */
public final class DatasetSource {
  private DatasetSource() {}

  public static Dataset read(String spec) {
    int colon = spec.indexOf(':');
    String format = colon > 0 && !spec.substring(0, colon).contains("/") ? spec.substring(0, colon) : "folder";
    String path = colon > 0 && !spec.substring(0, colon).contains("/") ? spec.substring(colon + 1) : spec;
    Path p = Path.of(path.split(",")[0]);
    return switch (format.toLowerCase(Locale.ROOT)) {
      case "folder" -> FolderDataset.read(p);
      case "csv" -> CsvManifest.read(p);
      case "esc50" -> Esc50.read(p);
      case "speechcommands" -> SpeechCommands.read(p);
      case "audioset" -> AudioSetJson.read(p,
          path.contains(",") ? Path.of(path.split(",", 2)[1]) : AudioSetJson.defaultLabels(p));
      case "voxceleb1" -> VoxCeleb1.read(p);
      case "iemocap" -> Iemocap.read(p);
      case "unlabeled" -> UnlabeledAudio.read(p);
      default -> throw new ConfigException("dataset: unknown format '" + format
          + "' (folder, csv, esc50, speechcommands, audioset, voxceleb1, iemocap, unlabeled)");
    };
  }
}
