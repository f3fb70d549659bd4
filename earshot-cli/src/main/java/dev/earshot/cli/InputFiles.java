package dev.earshot.cli;

import dev.earshot.EarshotException;
import dev.earshot.audio.AudioFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Expands command-line inputs (files and folders) to a sorted list of audio files. */
final class InputFiles {
  private InputFiles() {}

  /** Files as given; folders recursively to their audio files ({@link AudioFile#fileExtensions()}) in sorted order. */
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
      throw new EarshotException(
          "no audio files (" + String.join(", ", AudioFile.fileExtensions()) + ") found in " + inputs);
    }
    return out;
  }

  static boolean isAudio(Path p) {
    return AudioFile.hasAudioExtension(p);
  }
}
