package dev.earshot.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.earshot.audio.AudioLoader;
import dev.earshot.audio.Waveform;
import dev.earshot.audio.WavWriter;
import dev.earshot.features.FbankConfig;
import dev.earshot.features.FrontEnd;
import dev.earshot.features.Normalization;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Random windows of long clips for pretraining: contiguous, from anywhere, and short clips are unchanged. */
class RandomCropTest {
  @TempDir Path dir;

  private Clip clip(String name, double seconds) throws Exception {
    float[] s = new float[(int) (seconds * 16000)];
    SplittableRandom rng = new SplittableRandom(name.hashCode());
    for (int i = 0; i < s.length; i++) {
      s[i] = (float) (0.1 * rng.nextGaussian() * (1 + Math.sin(i / 3000.0))); // loudness varies along the clip
    }
    Path f = dir.resolve(name + ".wav");
    WavWriter.write(f, new Waveform(s, 16000), WavWriter.Coding.FLOAT32);
    return new Clip(name, f, new int[0], "");
  }

  @Test
  void aLongClipGivesContiguousWindowsFromAnywhereAShortOneItsPaddedSelf() throws Exception {
    FeatureSource source = new FeatureSource(new FrontEnd(AudioLoader.DEFAULT, FbankConfig.ast(),
        new Normalization(0, 0.5), 100), null);
    Clip longClip = clip("long", 3.0);
    float[][] whole = source.whole(longClip);
    assertThat(whole.length).isGreaterThan(250);
    Set<Integer> starts = new HashSet<>();
    for (int seed = 0; seed < 20; seed++) {
      float[][] x = source.example(longClip, null, Augmentation.RANDOM_CROP, new SplittableRandom(seed), null)
          .features();
      assertThat(x.length).isEqualTo(100);
      int start = -1;
      for (int s = 0; s + 100 <= whole.length && start < 0; s++) {
        if (java.util.Arrays.equals(whole[s], x[0]) && java.util.Arrays.equals(whole[s + 99], x[99])) {
          start = s;
        }
      }
      assertThat(start).as("a contiguous window of the clip").isNotNegative();
      starts.add(start);
    }
    assertThat(starts.size()).isGreaterThan(10);
    assertThat(starts.stream().mapToInt(Integer::intValue).max().getAsInt()).isGreaterThan(100);
    Clip shortClip = clip("short", 0.5);
    SplittableRandom a = new SplittableRandom(1);
    float[][] cropped = source.example(shortClip, null, Augmentation.RANDOM_CROP, a, null).features();
    assertThat(cropped).isDeepEqualTo(source.features(shortClip));
    assertThat(a.nextLong()).as("no draw for a clip that fits").isEqualTo(new SplittableRandom(1).nextLong());
  }
}
