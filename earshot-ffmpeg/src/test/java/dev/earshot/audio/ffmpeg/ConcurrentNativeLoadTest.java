package dev.earshot.audio.ffmpeg;

import static org.assertj.core.api.Assertions.assertThat;

import dev.earshot.audio.AudioFile;
import dev.earshot.testing.Fixtures;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several JVMs that load FFmpeg for the first time at once, into the same empty JavaCPP cache (as parallel
 * test forks or workers on a fresh machine do), all decode correctly: {@link FfmpegNatives} serialises the
 * unpacking and loading across processes.
 */
class ConcurrentNativeLoadTest {
  private static final int PROCESSES = 3;

  @TempDir Path dir;

  @Test
  void concurrentFirstLoadsIntoAnEmptyCache() throws Exception {
    Path cache = dir.resolve("javacpp-cache");
    Path file = Fixtures.path("/fixtures/codecs/stereo_44k1.mp3");
    int expected = AudioFile.read(file).length();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<Process> processes = new ArrayList<>();
    List<Path> outputs = new ArrayList<>();
    for (int i = 0; i < PROCESSES; i++) {
      Path out = dir.resolve("out-" + i + ".txt");
      outputs.add(out);
      processes.add(new ProcessBuilder(java, "-Xmx256m", "-Dorg.bytedeco.javacpp.cachedir=" + cache,
          "-cp", System.getProperty("java.class.path"), DecodeOnce.class.getName(), file.toString())
          .redirectErrorStream(true).redirectOutput(out.toFile()).start());
    }
    for (int i = 0; i < PROCESSES; i++) {
      Process p = processes.get(i);
      boolean done = p.waitFor(180, TimeUnit.SECONDS);
      if (!done) {
        processes.forEach(Process::destroyForcibly);
      }
      String output = Files.readString(outputs.get(i), StandardCharsets.UTF_8);
      assertThat(done).as("process %d finished", i).isTrue();
      assertThat(p.exitValue()).as("process %d exit status; output:%n%s", i, output).isZero();
      assertThat(output).contains("samples " + expected);
    }
    assertThat(cache.toFile().list()).isNotEmpty();
    assertThat(new File(cache.toFile(), "earshot-native-load.lock")).exists();
  }
}
