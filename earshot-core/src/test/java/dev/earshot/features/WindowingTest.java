package dev.earshot.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.earshot.audio.AudioInputException;
import dev.earshot.audio.AudioLoader;
import dev.earshot.audio.Mixdown;
import dev.earshot.audio.WavWriter;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Long clips cut into windows: the windows equal slices of the whole clip's features, cover every frame,
 * carry their timestamps, the last one ending at the clip's end (no padding); a short clip gives exactly the old single input; a crop
 * says so; an hour-long file streams in bounded memory.
 */
class WindowingTest {
  @TempDir Path dir;

  private static float[][] stereo(int n, int rate, long seed) {
    java.util.Random r = new java.util.Random(seed);
    float[][] x = new float[2][n];
    for (int i = 0; i < n; i++) {
      double t = i / (double) rate;
      x[0][i] = (float) (0.3 * Math.sin(2 * Math.PI * (200 + 30 * t) * t) + 0.01 * r.nextGaussian());
      x[1][i] = (float) (0.2 * Math.sin(2 * Math.PI * 440 * t) + 0.01 * r.nextGaussian());
    }
    return x;
  }

  @Test
  void windowsAreSlicesOfTheWholeClip() throws Exception {
    Path file = dir.resolve("long.wav");
    WavWriter.write(file, stereo(44100 * 7 + 1234, 44100, 1), 44100, WavWriter.Coding.PCM16);
    FrontEnd whole = FrontEnd.ast(0);
    float[][] all = whole.process(file);
    WindowSpec spec = new WindowSpec(300, 120, false);
    List<FeatureWindow> windows = new ArrayList<>();
    ClipWindows result = FrontEnd.ast(300).windows(file, spec, windows::add);
    assertThat(result.frames()).isEqualTo(all.length);
    assertThat(result.cropped()).isFalse();
    assertThat(windows).hasSize(spec.windowCount(all.length)).hasSize(result.windows());
    assertThat(result.durationSeconds()).isCloseTo(7 + 1234 / 44100.0, within(1e-3));
    float[] padding = WindowCutter.paddingRow(Normalization.AUDIOSET, 128);
    for (FeatureWindow w : windows) {
      boolean last = w.index() == windows.size() - 1;
      // windows every hop; the last ends at the clip's end instead of running past it into padding
      long expectedStart = last ? all.length - 300 : (long) w.index() * 120;
      assertThat(w.startFrame()).isEqualTo(expectedStart);
      assertThat(w.startSeconds()).isCloseTo(expectedStart * 0.01, within(1e-9));
      assertThat(w.realFrames()).isEqualTo(300);
      assertThat(w.features()).hasNumberOfRows(300);
      for (int t = 0; t < 300; t++) {
        long frame = w.startFrame() + t;
        float[] expected = frame < all.length ? all[(int) frame] : padding;
        assertThat(t < w.realFrames()).isEqualTo(frame < all.length);
        for (int b = 0; b < 128; b++) {
          assertThat(w.features()[t][b]).isCloseTo(expected[b], within(1e-5f));
        }
      }
    }
    FeatureWindow last = windows.get(windows.size() - 1);
    assertThat(last.startFrame() + last.realFrames()).isEqualTo(all.length);
    assertThat(last.endSeconds()).isCloseTo(all.length * 0.01, within(1e-9));
    // no window holds only frames the previous one covered
    FeatureWindow beforeLast = windows.get(windows.size() - 2);
    assertThat(beforeLast.startFrame() + 300).isLessThan(all.length);
  }

  @Test
  void aClipJustLongerThanTheWindowGetsTwoWindowsOfAudio() throws Exception {
    // 1 s at 16 kHz = 98 frames, a 96-frame model: the second window is frames 2-98, not 48-98 + 46 of padding
    Path file = dir.resolve("keyword.wav");
    WavWriter.write(file, stereo(16000, 16000, 5), 16000, WavWriter.Coding.PCM16);
    float[][] all = FrontEnd.ast(0).process(file);
    assertThat(all).hasNumberOfRows(98);
    List<FeatureWindow> windows = new ArrayList<>();
    FrontEnd.ast(96).windows(file, WindowSpec.forModel(96), windows::add);
    assertThat(windows).hasSize(2);
    assertThat(windows.get(1).startFrame()).isEqualTo(2);
    assertThat(windows.get(1).realFrames()).isEqualTo(96);
    for (int t = 0; t < 96; t++) {
      assertThat(windows.get(1).features()[t][5]).isCloseTo(all[t + 2][5], within(1e-5f));
    }
  }

  @Test
  void aShortClipIsTheOldSingleInput() throws Exception {
    Path file = dir.resolve("short.wav");
    WavWriter.write(file, stereo(22050 * 3, 22050, 2), 22050, WavWriter.Coding.FLOAT32);
    FrontEnd frontEnd = FrontEnd.ast(1024);
    float[][] old = frontEnd.process(file);
    List<FeatureWindow> windows = new ArrayList<>();
    ClipWindows result = frontEnd.windows(file, WindowSpec.forModel(1024), windows::add);
    assertThat(windows).hasSize(1);
    assertThat(result.cropped()).isFalse();
    assertThat(windows.get(0).realFrames()).isEqualTo(298);
    for (int t = 0; t < 1024; t++) {
      for (int b = 0; b < 128; b++) {
        assertThat(windows.get(0).features()[t][b]).isCloseTo(old[t][b], within(1e-5f));
      }
    }
  }

  @Test
  void cropKeepsTheFirstWindowAndSaysSo() throws Exception {
    Path file = dir.resolve("crop.wav");
    WavWriter.write(file, stereo(16000 * 5, 16000, 3), 16000, WavWriter.Coding.PCM16);
    List<FeatureWindow> windows = new ArrayList<>();
    ClipWindows result = FrontEnd.ast(200).windows(file, new WindowSpec(200, 200, true), windows::add);
    assertThat(windows).hasSize(1);
    assertThat(result.cropped()).isTrue();
    assertThat(windows.get(0).realFrames()).isEqualTo(200);
    List<FeatureWindow> short1 = new ArrayList<>();
    assertThat(FrontEnd.ast(1024).windows(file, WindowSpec.forModel(1024).cropped(), short1::add).cropped())
        .isFalse();
  }

  @Test
  void theWholeClipPathAgreesWithTheStream() throws Exception {
    // snipEdges = false needs the whole clip: same windows, computed in memory
    Path file = dir.resolve("snip.wav");
    WavWriter.write(file, stereo(16000 * 4, 16000, 4), 16000, WavWriter.Coding.PCM16);
    FbankConfig noSnip = FbankConfig.ast().toBuilder().snipEdges(false).build();
    FrontEnd frontEnd = new FrontEnd(new AudioLoader(16000, Mixdown.AVERAGE), noSnip, Normalization.AUDIOSET, 100);
    float[][] all = new FrontEnd(frontEnd.loader(), noSnip, Normalization.AUDIOSET, 0).process(file);
    List<FeatureWindow> windows = new ArrayList<>();
    frontEnd.windows(file, new WindowSpec(100, 100, false), windows::add);
    assertThat(windows).hasSize(4);
    assertThat(windows.get(3).features()[0]).containsExactly(all[300]);
  }

  @Test
  void tooShortForOneFrame() throws Exception {
    Path file = dir.resolve("tiny.wav");
    WavWriter.write(file, new float[][] {new float[100]}, 16000, WavWriter.Coding.PCM16);
    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> FrontEnd.ast(1024).windows(file, WindowSpec.forModel(1024), w -> { }))
        .isInstanceOfSatisfying(AudioInputException.class, e -> {
          assertThat(e.problem()).isEqualTo(AudioInputException.Problem.TOO_SHORT);
          assertThat(e.file()).isEqualTo(file);
        });
  }

  @Test
  void anHourStreamsInBoundedMemory() throws Exception {
    Path file = dir.resolve("hour.wav");
    int rate = 16000;
    long samples = 3600L * rate;
    writeLongWav(file, samples, rate);
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    System.gc();
    long baseline = memory.getHeapMemoryUsage().getUsed();
    long[] peak = {0};
    int[] count = {0};
    double[] lastStart = {-1};
    WindowSpec spec = WindowSpec.forModel(1024);
    ClipWindows result = FrontEnd.ast(1024).windows(file, spec, w -> {
      assertThat(w.startSeconds()).isGreaterThan(lastStart[0]);
      lastStart[0] = w.startSeconds();
      if (count[0]++ % 100 == 0) {
        System.gc();
        peak[0] = Math.max(peak[0], memory.getHeapMemoryUsage().getUsed() - baseline);
      }
    });
    assertThat(result.durationSeconds()).isEqualTo(3600.0);
    assertThat(result.frames()).isEqualTo(359_998);
    assertThat(result.windows()).isEqualTo(spec.windowCount(359_998)).isEqualTo(703);
    assertThat(lastStart[0]).isCloseTo((359_998 - 1024) * 0.01, within(1e-6)); // the hour's last 10.24 s
    // the decoded hour alone would be 230 MB of floats and its features 184 MB
    assertThat(peak[0]).as("heap retained while streaming, bytes").isLessThan(48L << 20);
  }

  private static void writeLongWav(Path file, long samples, int rate) throws Exception {
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
      long dataBytes = samples * 2;
      ByteBuffer h = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
      h.put("RIFF".getBytes()).putInt((int) (36 + dataBytes)).put("WAVE".getBytes()).put("fmt ".getBytes())
          .putInt(16).putShort((short) 1).putShort((short) 1).putInt(rate).putInt(rate * 2).putShort((short) 2)
          .putShort((short) 16).put("data".getBytes()).putInt((int) dataBytes);
      out.write(h.array());
      ByteBuffer chunk = ByteBuffer.allocate(rate * 2).order(ByteOrder.LITTLE_ENDIAN);
      java.util.Random r = new java.util.Random(5);
      for (long s = 0; s < samples; s += rate) {
        chunk.clear();
        for (int i = 0; i < rate; i++) {
          double t = (s + i) / (double) rate;
          chunk.putShort((short) (3000 * Math.sin(2 * Math.PI * (300 + (t % 60) * 10) * t) + 200 * r.nextGaussian()));
        }
        out.write(chunk.array());
      }
    }
  }
}
