package dev.earshot.cli;

import dev.earshot.EarshotException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** Expands command-line inputs (files and folders) to a sorted list of audio files. */
final class InputFiles {
  private static final List<String> EXTENSIONS = List.of(".wav", ".wave", ".flac");

  private InputFiles() {}

  /** Files as given; folders recursively to their .wav/.flac files in sorted order. */
  static List<Path> expand(List<Path> inputs) {
    List<Path> out = new ArrayList<>();
    for (Path input : inputs) {
      if (Files.isDirectory(input)) {
        try (Stream<Path> walk = Files.walk(input)) {
          walk.filter(Files::isRegularFile).filter(InputFiles::isAudio).sorted().forEach(out::add);
        } catch (IOException e) {
          throw new UncheckedIOException(input + ": cannot list folder: " + e.getMessage(), e);
        }
      } else {
        out.add(input);
      }
    }
    if (out.isEmpty()) {
      throw new EarshotException("no audio files (.wav, .flac) found in " + inputs);
    }
    return out;
  }

  static boolean isAudio(Path p) {
    String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
    return EXTENSIONS.stream().anyMatch(name::endsWith);
  }
}
