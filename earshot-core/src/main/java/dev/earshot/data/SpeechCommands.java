package dev.earshot.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Speech Commands (v1 or v2) in its release layout: one folder per word, {@code validation_list.txt} and
 * {@code testing_list.txt} listing relative paths; {@code _background_noise_} is not a class. Groups are
 * "train", "validation" and "testing".
 */
public final class SpeechCommands {
  private SpeechCommands() {}

  public static Dataset read(Path root) {
    AudioFiles.requireDirectory(root, "a Speech Commands folder");
    Set<String> validation = listed(root.resolve("validation_list.txt"));
    Set<String> testing = listed(root.resolve("testing_list.txt"));
    List<Path> words;
    try (Stream<Path> s = Files.list(root)) {
      words = s.filter(Files::isDirectory)
          .filter(p -> !p.getFileName().toString().startsWith("_") && !p.getFileName().toString().startsWith("."))
          .sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> classes = new ArrayList<>();
    List<Clip> clips = new ArrayList<>();
    for (Path w : words) {
      int label = classes.size();
      classes.add(w.getFileName().toString());
      for (Path f : AudioFiles.under(w)) {
        String rel = root.relativize(f).toString().replace('\\', '/');
        String group = validation.contains(rel) ? "validation" : testing.contains(rel) ? "testing" : "train";
        clips.add(new Clip(rel, f, new int[] {label}, group));
      }
    }
    if (classes.isEmpty()) {
      throw new DatasetFormatException(root, "no word folders");
    }
    return new Dataset("Speech Commands", clips, classes, false);
  }

  private static Set<String> listed(Path file) {
    if (!Files.exists(file)) {
      throw new DatasetFormatException(file, "missing (Speech Commands needs validation_list.txt and testing_list.txt)");
    }
    Set<String> out = new HashSet<>();
    for (String l : AudioFiles.lines(file)) {
      if (!l.isBlank()) {
        out.add(l.strip());
      }
    }
    return out;
  }
}
