package dev.earshot.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Unlabelled audio for pretraining: a folder (searched recursively) or a manifest (one path per line, or a CSV with a file column). */
public final class UnlabeledAudio {
  private UnlabeledAudio() {}

  public static Dataset read(Path source) {
    List<Clip> clips = new ArrayList<>();
    if (Files.isDirectory(source)) {
      for (Path f : AudioFiles.under(source)) {
        clips.add(Clip.unlabeled(source.relativize(f).toString(), f));
      }
    } else if (Files.exists(source)) {
      List<String> lines = AudioFiles.lines(source);
      boolean csv = !lines.isEmpty() && CsvManifest.fields(lines.get(0)).contains("file");
      if (csv) {
        for (Clip c : CsvManifest.read(source).clips()) {
          clips.add(Clip.unlabeled(c.id(), c.file()));
        }
      } else {
        Path base = source.toAbsolutePath().getParent();
        for (String l : lines) {
          if (!l.isBlank()) {
            clips.add(Clip.unlabeled(l.strip(), base.resolve(l.strip())));
          }
        }
      }
    } else {
      throw new DatasetFormatException(source, "no such folder or manifest");
    }
    if (clips.isEmpty()) {
      throw new DatasetFormatException(source, "no audio files");
    }
    return new Dataset(source.getFileName().toString(), clips, List.of(), false);
  }
}
