package dev.earshot.data;

import dev.earshot.audio.AudioFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Finds audio files under a folder, sorted for a stable order: every extension {@link AudioFile} reads
 * (.wav, .wave, .flac, and with earshot-ffmpeg on the class path .mp3, .ogg, .opus, .m4a, ...).
 */
final class AudioFiles {
  private AudioFiles() {}

  static boolean isAudio(Path p) {
    return AudioFile.hasAudioExtension(p);
  }

  static List<Path> under(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).filter(AudioFiles::isAudio).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(dir + ": cannot list: " + e.getMessage(), e);
    }
  }

  static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (IOException e) {
      throw new DatasetFormatException(file, "cannot read: " + e.getMessage());
    }
  }

  static void requireDirectory(Path dir, String what) {
    if (!Files.isDirectory(dir)) {
      throw new DatasetFormatException(dir, "expected " + what);
    }
  }
}
