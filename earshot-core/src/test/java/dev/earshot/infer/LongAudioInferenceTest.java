package dev.earshot.infer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.earshot.audio.WavWriter;
import dev.earshot.features.FeatureWindow;
import dev.earshot.features.WindowSpec;
import dev.earshot.testing.MaxAbsDiff;
import dev.earshot.testing.TestModels;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Classification and embedding of clips longer than the model's input: one answer per window with its
 * timestamps, equal to running each window alone; the aggregate is the stated mean or max; short clips get
 * the old answer; a crop says so; a long clip runs in flat memory.
 */
class LongAudioInferenceTest {
  @TempDir static Path dir;
  static Path ast; // 100-frame input, 7 classes, softmax
  static Path eat;

  @BeforeAll
  static void importModels() throws Exception {
    ast = TestModels.ast(dir.resolve("ast"));
    eat = TestModels.eat(dir.resolve("eat"));
  }

  private static Path wav(String name, double seconds, int rate) throws Exception {
    int n = (int) (seconds * rate);
    float[] x = new float[n];
    java.util.Random r = new java.util.Random(name.hashCode());
    for (int i = 0; i < n; i++) {
      double t = i / (double) rate;
      double f = 300 + 700 * ((t / 2.0) % 1.0); // a new rising sweep every 2 s: windows differ
      x[i] = (float) (0.3 * Math.sin(2 * Math.PI * f * t) + 0.02 * r.nextGaussian());
    }
    Path p = dir.resolve(name);
    WavWriter.write(p, new float[][] {x}, rate, WavWriter.Coding.PCM16);
    return p;
  }

  @Test
  void windowsCarryTimestampsAndMatchRunningEachWindowAlone() throws Exception {
    Path clip = wav("five.wav", 5.0, 22050);
    try (AudioClassifier c = AudioClassifier.open(ast)) {
      WindowSpec spec = c.defaultWindows();
      assertThat(spec.windowFrames()).isEqualTo(100);
      assertThat(spec.hopFrames()).isEqualTo(50);
      WindowedResult mean = c.classifyWindows(clip, spec, Aggregation.MEAN);
      List<FeatureWindow> windows = new ArrayList<>();
      c.spec().frontEnd().windows(clip, spec, windows::add);
      assertThat(mean.windows()).hasSize(windows.size()).hasSize(9); // 498 frames: 1 + ceil(398 / 50)
      assertThat(mean.cropped()).isFalse();
      assertThat(mean.windowSeconds()).isCloseTo(1.0, within(1e-9));
      assertThat(mean.hopSeconds()).isCloseTo(0.5, within(1e-9));
      assertThat(mean.durationSeconds()).isCloseTo(5.0, within(1e-3));
      for (int k = 0; k < windows.size(); k++) {
        WindowValues w = mean.windows().get(k);
        boolean last = k == windows.size() - 1; // ends at the clip's end (4.98 s), not padded past it
        assertThat(w.startSeconds()).isCloseTo(last ? 3.98 : 0.5 * k, within(1e-9));
        assertThat(w.endSeconds()).isCloseTo(last ? 4.98 : 0.5 * k + 1.0, within(1e-9));
        float[] alone = c.scores(c.logits(windows.get(k).features()));
        assertThat(MaxAbsDiff.of(w.values(), alone)).isLessThan(1e-5);
      }
      // the aggregate is what it says it is
      float[] expectedMean = new float[7];
      float[] expectedMax = new float[7];
      java.util.Arrays.fill(expectedMax, -1);
      for (WindowValues w : mean.windows()) {
        for (int j = 0; j < 7; j++) {
          expectedMean[j] += w.values()[j] / mean.windows().size();
          expectedMax[j] = Math.max(expectedMax[j], w.values()[j]);
        }
      }
      assertThat(mean.aggregation()).isEqualTo(Aggregation.MEAN);
      assertThat(MaxAbsDiff.of(mean.aggregate(), expectedMean)).isLessThan(1e-6);
      WindowedResult max = c.classifyWindows(clip, spec, Aggregation.MAX);
      assertThat(MaxAbsDiff.of(max.aggregate(), expectedMax)).isLessThan(1e-6);
      // classify() is the mean over the default windows, from a path or from bytes
      List<Prediction> top = c.classify(clip, 3);
      assertThat(top.get(0).score()).isCloseTo(top(expectedMean), within(1e-6f));
      // (bytes are decoded whole, a path is streamed: the same up to float rounding)
      List<Prediction> fromBytes = c.classify(Files.readAllBytes(clip), "upload.wav", 3);
      for (int i = 0; i < 3; i++) {
        assertThat(fromBytes.get(i).index()).isEqualTo(top.get(i).index());
        assertThat(fromBytes.get(i).score()).isCloseTo(top.get(i).score(), within(1e-5f));
      }
      // a crop analyses one window and says so
      WindowedResult crop = c.classifyWindows(clip, spec.cropped(), Aggregation.MEAN);
      assertThat(crop.windows()).hasSize(1);
      assertThat(crop.cropped()).isTrue();
      // the same window, computed alone rather than in a batch: equal up to the order of float sums
      assertThat(MaxAbsDiff.of(crop.aggregate(), mean.windows().get(0).values())).isLessThan(1e-5);
    }
  }

  @Test
  void aShortClipGetsTheOldAnswer() throws Exception {
    Path clip = wav("short.wav", 0.7, 16000);
    try (AudioClassifier c = AudioClassifier.open(ast)) {
      float[] old = c.scores(c.logits(c.spec().frontEnd().process(clip)));
      WindowedResult r = c.classifyWindows(clip, c.defaultWindows(), Aggregation.MEAN);
      assertThat(r.windows()).hasSize(1);
      assertThat(MaxAbsDiff.of(r.aggregate(), old)).isLessThan(1e-5);
    }
  }

  @Test
  void embeddingsPerWindowAndTimeStepsAcrossWindows() throws Exception {
    Path clip = wav("emb.wav", 4.3, 16000);
    try (AudioEmbedder e = AudioEmbedder.open(eat, -1, 4)) {
      WindowSpec spec = e.defaultWindows();
      WindowedResult r = e.embedWindows(clip, spec, Aggregation.MEAN);
      assertThat(r.windows()).hasSize(spec.windowCount(428));
      assertThat(r.aggregate()).hasSize(e.dimension());
      assertThat(MaxAbsDiff.of(e.embed(clip), r.aggregate())).isLessThan(1e-5);
      TimeSteps steps = e.embedTimeSteps(clip, spec);
      assertThat(steps.cropped()).isFalse();
      assertThat(steps.embeddings()).hasNumberOfRows(steps.timestampsMs().length);
      double stepMs = e.embedTokensOfFeatures(e.features(clip)).secondsPerTimePatch() * 1000;
      // one step per stride of the model's time patches over the whole clip, in strictly increasing time
      assertThat(steps.timestampsMs().length).isBetween((int) (4280 / stepMs) - 1, (int) (4280 / stepMs) + 1);
      for (int i = 1; i < steps.timestampsMs().length; i++) {
        assertThat(steps.timestampsMs()[i]).isGreaterThan(steps.timestampsMs()[i - 1]);
      }
      assertThat(steps.timestampsMs()[steps.timestampsMs().length - 1]).isLessThan(4300);
    }
  }

  @Test
  void aLongClipRunsInFlatMemory() throws Exception {
    Path clip = wav("ten-minutes.wav", 600, 16000);
    var memory = ManagementFactory.getMemoryMXBean();
    try (AudioClassifier c = AudioClassifier.open(ast, 16)) {
      c.classifyWindows(wav("warm.wav", 3, 16000), c.defaultWindows(), Aggregation.MEAN);
      System.gc();
      long before = memory.getHeapMemoryUsage().getUsed();
      WindowedResult r = c.classifyWindows(clip, c.defaultWindows(), Aggregation.MAX);
      System.gc();
      long after = memory.getHeapMemoryUsage().getUsed();
      assertThat(r.windows()).hasSize(1199); // 59998 frames: 1 + ceil(59898 / 50)
      assertThat(r.windows().get(1198).startSeconds()).isCloseTo(598.98, within(1e-9)); // the last second
      // what stays is the answer itself (1199 x 7 scores), not the audio (38 MB as floats) or its features
      assertThat(after - before).isLessThan(16L << 20);
    }
  }

  private static float top(float[] v) {
    float m = Float.NEGATIVE_INFINITY;
    for (float x : v) {
      m = Math.max(m, x);
    }
    return m;
  }
}
