package dev.earshot.data;

import dev.earshot.audio.AudioFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** A folder with one subfolder per class; audio files anywhere below a class folder. Classes sorted by name. */
public final class FolderDataset {
  private FolderDataset() {}

  public static Dataset read(Path root) {
    AudioFiles.requireDirectory(root, "a folder with one subfolder per class");
    List<Path> classDirs;
    try (Stream<Path> s = Files.list(root)) {
      classDirs = s.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (classDirs.isEmpty()) {
      throw new DatasetFormatException(root, "no class subfolders");
    }
    List<String> classes = new ArrayList<>();
    List<Clip> clips = new ArrayList<>();
    for (Path dir : classDirs) {
      int label = classes.size();
      classes.add(dir.getFileName().toString());
      for (Path f : AudioFiles.under(dir)) {
        clips.add(new Clip(root.relativize(f).toString(), f, new int[] {label}, ""));
      }
    }
    if (clips.isEmpty()) {
      throw new DatasetFormatException(root, "no audio files (" + String.join(", ", AudioFile.fileExtensions()) + ") in the class folders");
    }
    return new Dataset(root.getFileName().toString(), clips, classes, false);
  }
}
