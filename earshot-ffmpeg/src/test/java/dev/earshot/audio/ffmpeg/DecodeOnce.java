package dev.earshot.audio.ffmpeg;

import dev.earshot.audio.AudioFile;
import java.nio.file.Path;

/** Child process of {@link ConcurrentNativeLoadTest}: decodes one file and prints its length. */
public final class DecodeOnce {
  private DecodeOnce() {}

  public static void main(String[] args) {
    System.out.println("samples " + AudioFile.read(Path.of(args[0])).length());
  }
}
