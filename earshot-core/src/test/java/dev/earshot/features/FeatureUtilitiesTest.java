package dev.earshot.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.earshot.ConfigException;
import dev.earshot.audio.AudioLoader;
import dev.earshot.audio.Waveform;
import dev.earshot.audio.WavWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Normalisation, pad/crop, mix-up, Beta draws, config validation, dither and dataset statistics. */
class FeatureUtilitiesTest {
  @TempDir Path dir;

  @Test
  void normalizationUsesTwiceTheStd() {
    float[][] x = {{-4.2677393f, 0f}};
    Normalization.AUDIOSET.applyInPlace(x);
    assertThat((double) x[0][0]).isCloseTo(0, within(1e-7));
    assertThat((double) x[0][1]).isCloseTo(4.2677393 / (2 * 4.5689974), within(1e-7));
    assertThat(Normalization.preset("esc50")).isEqualTo(Normalization.ESC50);
    assertThatThrownBy(() -> Normalization.preset("librispeech")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("unknown preset 'librispeech'");
    assertThatThrownBy(() -> new Normalization(0, 0)).isInstanceOf(ConfigException.class);
  }

  @Test
  void padCropAppendsZerosOrKeepsTheStart() {
    float[][] x = {{1, 2}, {3, 4}, {5, 6}};
    assertThat(PadCrop.apply(x, 5)).isDeepEqualTo(new float[][] {{1, 2}, {3, 4}, {5, 6}, {0, 0}, {0, 0}});
    assertThat(PadCrop.apply(x, 2)).isDeepEqualTo(new float[][] {{1, 2}, {3, 4}});
    assertThat(PadCrop.apply(x, 3)).isSameAs(x);
  }

  @Test
  void waveformMixupFollowsAst() {
    float[] a = {1, 1, 1, 1};
    float[] b = {3, -3};
    Mixup.MixedWaveform m = Mixup.mixWaveforms(a, b, 0.25);
    // a - mean(a) = 0; b - mean(b) = [3, -3] padded to [3, -3, 0, 0]; 0.75 * that, minus its mean (0).
    assertThat(m.samples()).containsExactly(2.25f, -2.25f, 0f, 0f);
    float[] y = Mixup.mixLabels(new float[] {1, 0}, new float[] {0, 1}, 0.25);
    assertThat(y).containsExactly(0.25f, 0.75f);
  }

  @Test
  void batchMixupMixesWithTheReversedBatch() {
    float[][][] batch = {{{1}}, {{2}}, {{4}}};
    Mixup.mixBatch(batch, 0.75);
    assertThat(batch[0][0][0]).isEqualTo(0.75f * 1 + 0.25f * 4);
    assertThat(batch[1][0][0]).isEqualTo(2f);
    assertThat(batch[2][0][0]).isEqualTo(0.75f * 4 + 0.25f * 1);
  }

  @Test
  void betaDrawsHaveTheRightMoments() {
    SplittableRandom rng = new SplittableRandom(3);
    for (double[] ab : new double[][] {{10, 10}, {0.5, 0.5}, {2, 5}}) {
      double sum = 0;
      double sq = 0;
      int n = 100_000;
      for (int i = 0; i < n; i++) {
        double x = BetaSampler.sample(ab[0], ab[1], rng);
        assertThat(x).isBetween(0.0, 1.0);
        sum += x;
        sq += x * x;
      }
      double mean = ab[0] / (ab[0] + ab[1]);
      double var = ab[0] * ab[1] / ((ab[0] + ab[1]) * (ab[0] + ab[1]) * (ab[0] + ab[1] + 1));
      assertThat(sum / n).isCloseTo(mean, within(0.005));
      assertThat(sq / n - (sum / n) * (sum / n)).isCloseTo(var, within(0.005));
    }
  }

  @Test
  void configRejectsImpossibleOptions() {
    assertThatThrownBy(() -> FbankConfig.builder().numMelBins(3).build())
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("numMelBins:");
    assertThatThrownBy(() -> FbankConfig.builder().highFreqHz(9000).build())
        .hasMessageStartingWith("highFreqHz:");
    assertThatThrownBy(() -> FbankConfig.builder().roundToPowerOfTwo(false).frameLengthMs(25.0625).build())
        .hasMessageContaining("odd window");
    assertThatThrownBy(() -> FbankConfig.builder().vtlnWarp(0.9).vtlnLowHz(10).build())
        .hasMessageStartingWith("vtlnLowHz/vtlnHighHz:");
    assertThatThrownBy(() -> TorchaudioFbankOptions.apply(FbankConfig.ast(), Map.of("num_mel_bin", 128)))
        .hasMessage("unknown kaldi.fbank option 'num_mel_bin'");
    assertThat(FbankConfig.ast().paddedWindowSize()).isEqualTo(512);
    assertThat(FbankConfig.ast(32000).paddedWindowSize()).isEqualTo(1024);
    assertThat(FbankConfig.ast().numFrames(160000)).isEqualTo(998);
    assertThat(FbankConfig.ast(32000).numFrames(192000)).isEqualTo(598);
  }

  @Test
  void ditherIsSeededAndOnlyDithersWhenAsked() {
    float[] x = new float[4000];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (0.1 * Math.sin(i * 0.1));
    }
    FbankConfig dithered = FbankConfig.ast().toBuilder().dither(1e-3).ditherSeed(5).build();
    float[][] a = new KaldiFbank(dithered).compute(x);
    float[][] b = new KaldiFbank(dithered).compute(x);
    float[][] c = new KaldiFbank(dithered.toBuilder().ditherSeed(6).build()).compute(x);
    float[][] clean = new KaldiFbank(FbankConfig.ast()).compute(x);
    assertThat(a).isDeepEqualTo(b);
    assertThat(a).isNotEqualTo(c);
    assertThat(a).isNotEqualTo(clean);
  }

  @Test
  void statisticsPoolEveryValueAndSkipBadClips() throws Exception {
    float[] x = new float[8000];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (0.2 * Math.sin(i * 0.3));
    }
    Path good = dir.resolve("good.wav");
    WavWriter.write(good, new Waveform(x, 16000), WavWriter.Coding.FLOAT32);
    Path bad = dir.resolve("bad.wav");
    Files.writeString(bad, "RIFF0000WAVE");
    FeatureStatistics stats = FeatureStatistics.compute(List.of(good, bad), AudioLoader.DEFAULT, FbankConfig.ast(),
        0, done -> { });
    float[][] f = new KaldiFbank(FbankConfig.ast()).compute(x);
    double sum = 0;
    double sq = 0;
    for (float[] row : f) {
      for (float v : row) {
        sum += v;
        sq += (double) v * v;
      }
    }
    int n = f.length * f[0].length;
    assertThat(stats.values()).isEqualTo(n);
    assertThat(stats.mean()).isCloseTo(sum / n, within(1e-9));
    assertThat(stats.std()).isCloseTo(Math.sqrt(sq / n - (sum / n) * (sum / n)), within(1e-6));
    assertThat(stats.clips()).isEqualTo(1);
    assertThat(stats.skipped()).singleElement().asString().contains("bad.wav");
  }
}
