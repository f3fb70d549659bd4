package dev.earshot.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.earshot.audio.AudioInputException.Problem;
import dev.earshot.features.FrontEnd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Headers that ask for unbounded memory or time: odd sampling rates (the resampler's table), absurd rates,
 * FLAC streams announcing or expanding to billions of samples. Each finishes fast with bounded memory or ends
 * in a typed error; none may end in an OutOfMemoryError or a hang.
 */
class HostileAudioTest {
  @TempDir Path dir;

  private Path wav(String name, int rate, int samples) throws Exception {
    float[] x = new float[samples];
    for (int i = 0; i < samples; i++) {
      x[i] = (float) (0.3 * Math.sin(i * 0.01));
    }
    Path p = dir.resolve(name);
    Files.write(p, WavWriter.encode(new float[][] {x}, rate, WavWriter.Coding.PCM16));
    return p;
  }

  @Test
  void ratesSharingOnlyASmallDivisorWithTheTargetResampleQuickly() throws Exception {
    for (int rate : new int[] {16001, 44101}) {
      Path file = wav("odd-" + rate + ".wav", rate, rate * 10);
      long before = usedHeap();
      float[][] features = assertTimeoutPreemptively(Duration.ofSeconds(3), () -> FrontEnd.ast(1024).process(file),
          rate + " Hz");
      assertThat(features.length).isEqualTo(1024);
      assertThat(usedHeap() - before).as("heap grown by the resampler at " + rate + " Hz")
          .isLessThan(256L << 20);
    }
  }

  @Test
  void ratesOutsideTheSupportedRangeAreTypedErrors() throws Exception {
    Path file = wav("prime-rate.wav", 999_983, 20_000);
    assertThatThrownBy(() -> assertTimeoutPreemptively(Duration.ofSeconds(5), () -> FrontEnd.ast(1024).process(file)))
        .isInstanceOfSatisfying(AudioInputException.class, e -> {
          assertThat(e.problem()).isEqualTo(Problem.UNSUPPORTED_RATE);
          assertThat(e.getMessage()).contains("prime-rate.wav").contains("999983 Hz");
        });
    Path slow = wav("slow.wav", 200, 2000);
    assertThatThrownBy(() -> AudioFile.read(slow)).isInstanceOf(AudioInputException.class)
        .hasMessageContaining("200 Hz is outside");
  }

  @Test
  void aFlacHeaderAnnouncingBillionsOfSamplesAllocatesNothingForThem() throws Exception {
    Path file = dir.resolve("announces-2^30.flac");
    Files.write(file, FlacStreams.constantFrames(768_000, 1L << 30, 4, 4096));
    assertThatThrownBy(() -> assertTimeoutPreemptively(Duration.ofSeconds(5), () -> AudioFile.read(file)))
        .isInstanceOfSatisfying(AudioInputException.class, e -> assertThat(e.problem())
            .isIn(Problem.TOO_LARGE, Problem.TRUNCATED));
    Path longer = dir.resolve("announces-18h.flac");
    Files.write(longer, FlacStreams.constantFrames(16_000, 1L << 30, 4, 4096));
    assertThatThrownBy(() -> AudioFile.read(longer)).isInstanceOf(AudioInputException.class)
        .hasMessageContaining("longer than the 14400 s limit");
  }

  @Test
  void aFlacStreamOfTinyConstantFramesStopsAtTheLimit() throws Exception {
    // 10,000 frames of 65,536 samples in 130 KB: 655 million samples, announced as "unknown length"
    Path bomb = dir.resolve("bomb.flac");
    Files.write(bomb, FlacStreams.constantFrames(16_000, 0, 10_000, 65_536));
    assertThat(Files.size(bomb)).isLessThan(200_000);
    assertThatThrownBy(() -> assertTimeoutPreemptively(Duration.ofSeconds(10), () -> AudioFile.read(bomb)))
        .isInstanceOfSatisfying(AudioInputException.class, e -> assertThat(e.problem()).isEqualTo(Problem.TOO_LARGE));
    AudioLimits minute = new AudioLimits(1000, 768_000, 60);
    assertThatThrownBy(() -> AudioFile.read(bomb, minute)).isInstanceOf(AudioInputException.class)
        .hasMessageContaining("longer than the 60 s limit");
    // the same stream, short enough, decodes
    Path fine = dir.resolve("fine.flac");
    Files.write(fine, FlacStreams.constantFrames(16_000, 0, 3, 4096));
    assertThat(AudioFile.read(fine).length()).isEqualTo(3 * 4096);
  }

  private static long usedHeap() {
    System.gc();
    Runtime rt = Runtime.getRuntime();
    return rt.totalMemory() - rt.freeMemory();
  }
}
