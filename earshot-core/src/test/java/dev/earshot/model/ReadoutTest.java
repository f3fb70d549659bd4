package dev.earshot.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.earshot.ConfigException;
import dev.earshot.EarshotException;
import dev.earshot.features.Normalization;
import dev.earshot.tensor.Shape;
import dev.earshot.tensor.Tensor;
import dev.earshot.tensor.TensorScope;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Readouts: pooling and layer averages computed in one pass, recorded in model.json, checked against the model. */
class ReadoutTest {
  @TempDir Path dir;

  private static float[] input(int b, int t, int f) {
    SplittableRandom rng = new SplittableRandom(3);
    float[] x = new float[b * t * f];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) rng.nextGaussian();
    }
    return x;
  }

  @Test
  void aLayerAverageIsTheMeanOfEachLayersPooling() {
    try (TensorScope m = TensorScope.newBaseScope()) {
      AudioTransformer vit = new AudioTransformer(m, ModelRegistry.get("vit-micro", 48, 0), 1);
      Tensor x = m.create(input(2, 48, 128), new Shape(2, 48, 128));
      float[] layer1 = vit.encode(x, new Readout(Pooling.MEAN_PATCHES, List.of(1)), false).pooled().toFloatArray();
      float[] fin = vit.encode(x, new Readout(Pooling.MEAN_PATCHES, List.of(-1)), false).pooled().toFloatArray();
      float[] both = vit.encode(x, new Readout(Pooling.MEAN_PATCHES, List.of(1, -1)), false).pooled()
          .toFloatArray();
      float[] tokens1 = vit.encode(x, 1, false).tokens().mean(new int[] {1}).toFloatArray();
      for (int i = 0; i < both.length; i++) {
        assertThat((double) layer1[i]).isCloseTo(tokens1[i], within(1e-5));
        assertThat((double) both[i]).isCloseTo((layer1[i] + fin[i]) / 2, within(1e-5));
      }
      // the model's own pooling (CLS for the ViT) of the final output is what clipEmbedding gives
      float[] own = vit.encode(x, Readout.FINAL, false).pooled().toFloatArray();
      assertThat(own).containsExactly(vit.clipEmbedding(x).toFloatArray());
      assertThat(own).isNotEqualTo(fin);
      assertThatThrownBy(() -> vit.encode(x, new Readout(Pooling.CLS_DIST_MEAN, List.of(-1)), false))
          .isInstanceOf(EarshotException.class).hasMessageContaining("has 1");
      assertThatThrownBy(() -> vit.encode(x, Readout.layer(3), false)).hasMessageContaining("layer 3 does not exist");
    }
  }

  /** Token (b, f, t, c) of (B, N, D) tokens laid out as {@code e} says. */
  private static double token(float[] tokens, Encoder.Encoding e, int d, int b, int f, int t, int c) {
    int n = e.order() == TokenOrder.FREQUENCY_MAJOR ? f * e.timeSteps() + t : t * e.freqBands() + f;
    return tokens[(b * e.timeSteps() * e.freqBands() + n) * d + c];
  }

  @Test
  void timeStatisticsAndFrequencyRowsAreComputedFromTheTokenGrid() {
    try (TensorScope m = TensorScope.newBaseScope()) {
      AudioTransformer vit = new AudioTransformer(m, ModelRegistry.get("vit-micro", 64, 0), 1);
      Tensor x = m.create(input(2, 64, 128), new Shape(2, 64, 128));
      Encoder.Encoding e = vit.encode(x, new Readout(Pooling.MEAN_PATCHES, List.of(1)), false);
      float[] tokens = e.tokens().toFloatArray();
      int d = vit.embedDim();
      int freq = e.freqBands();
      int time = e.timeSteps();
      assertThat(freq).isEqualTo(8);
      assertThat(time).isEqualTo(4);
      float[] withStd = vit.encode(x, new Readout(Pooling.MEAN_PATCHES, List.of(1), true), false).pooled()
          .toFloatArray();
      float[] rows = vit.encode(x, new Readout(Pooling.MEAN_PATCHES, List.of(1), true, true), false).pooled()
          .toFloatArray();
      assertThat(withStd).hasSize(2 * 2 * d);
      assertThat(rows).hasSize(2 * 2 * freq * d);
      for (int b = 0; b < 2; b++) {
        for (int c = 0; c < d; c++) {
          // the std over time of the frequency-averaged time steps
          double[] step = new double[time];
          for (int t = 0; t < time; t++) {
            for (int f = 0; f < freq; f++) {
              step[t] += token(tokens, e, d, b, f, t, c) / freq;
            }
          }
          assertThat((double) withStd[b * 2 * d + d + c]).isCloseTo(std(step), within(1e-4));
          // each frequency row's mean and std over time, rows low to high, means before stds
          for (int f = 0; f < freq; f++) {
            double[] row = new double[time];
            for (int t = 0; t < time; t++) {
              row[t] = token(tokens, e, d, b, f, t, c);
            }
            assertThat((double) rows[b * 2 * freq * d + f * d + c]).isCloseTo(mean(row), within(1e-4));
            assertThat((double) rows[b * 2 * freq * d + freq * d + f * d + c]).isCloseTo(std(row), within(1e-4));
          }
        }
      }
      assertThatThrownBy(() -> new Readout(Pooling.CLS, List.of(-1), false, true))
          .isInstanceOf(ConfigException.class).hasMessageContaining("mean pooling");
      Encoder mast = ModelRegistry.encoder("mast-mini", 64, 0, m, 1);
      Tensor one = m.create(input(1, 64, 128), new Shape(1, 64, 128));
      Encoder.Encoding last = mast.encode(one, new Readout(null, List.of(-1), false, true), false);
      assertThat(last.pooled().getShape().get(1)).isEqualTo((long) last.freqBands() * mast.embedDim());
    }
  }

  private static double mean(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x;
    }
    return s / v.length;
  }

  private static double std(double[] v) {
    double mu = mean(v);
    double s = 0;
    for (double x : v) {
      s += (x - mu) * (x - mu);
    }
    return Math.sqrt(s / v.length + 1e-6);
  }

  @Test
  void mastAveragesLayersOfOneStageOnly() {
    try (TensorScope m = TensorScope.newBaseScope()) {
      Encoder mast = ModelRegistry.encoder("mast-mini", 64, 0, m, 1);
      Tensor x = m.create(input(1, 64, 128), new Shape(1, 64, 128));
      // mast-mini: stages of 1, 1, 2, 1 blocks; blocks 3 and 4 share the third stage's grid and width
      Encoder.Encoding e = mast.encode(x, new Readout(null, List.of(3, 4)), false);
      assertThat(e.pooled().getShape().get(1)).isEqualTo(128);
      assertThatThrownBy(() -> mast.encode(x, new Readout(null, List.of(1, 4)), false))
          .hasMessageContaining("different stages");
      assertThatThrownBy(() -> mast.encode(x, new Readout(Pooling.CLS, List.of(-1)), false))
          .hasMessageContaining("no CLS token");
    }
  }

  @Test
  void theReadoutTravelsInModelJsonAndIsChecked() throws Exception {
    PretrainedSpec spec = PretrainedSpec.ast(Normalization.AUDIOSET, 48, List.of(), OutputActivation.SOFTMAX, "t");
    try (TensorScope m = TensorScope.newBaseScope()) {
      Encoder eat = ModelRegistry.encoder("eat-micro", 48, 0, m, 1);
      ModelDirectory.export(dir.resolve("eat"), eat, spec, null, new Readout(Pooling.MEAN_PATCHES, List.of(1, 2)));
      assertThatThrownBy(() -> ModelDirectory.export(dir.resolve("bad"), eat, spec, null, Readout.layer(5)))
          .isInstanceOf(ConfigException.class);
      ModelDirectory.write(dir.resolve("plain"), eat, spec, null);
    }
    ModelDirectory.Manifest read = ModelDirectory.readManifest(dir.resolve("eat"));
    assertThat(read.readout()).isEqualTo(new Readout(Pooling.MEAN_PATCHES, List.of(1, 2)));
    assertThat(ModelDirectory.readManifest(dir.resolve("plain")).readoutOrDefault()).isEqualTo(Readout.FINAL);
    Path json = dir.resolve("eat/model.json");
    Files.writeString(json, Files.readString(json).replace("\"layers\" : [ 1, 2 ]", "\"layers\" : [ 1, 9 ]"));
    assertThatThrownBy(() -> ModelDirectory.readManifest(dir.resolve("eat"))).hasMessageContaining("layer 9");
    // recipes write the pooling's label, model.json its constant: both read
    assertThat(Pooling.fromJson("cls")).isEqualTo(Pooling.CLS);
    assertThat(Pooling.fromJson("MEAN_PATCHES")).isEqualTo(Pooling.MEAN_PATCHES);
    assertThatThrownBy(() -> new Readout(null, List.of(1, 1))).hasMessageContaining("distinct");
  }

  @Test
  void aModelRebuiltForAnotherLengthKeepsItsReadout() throws Exception {
    PretrainedSpec spec = PretrainedSpec.ast(Normalization.AUDIOSET, 48, List.of(), OutputActivation.SOFTMAX, "t");
    try (TensorScope m = TensorScope.newBaseScope()) {
      ModelDirectory.export(dir.resolve("a"), ModelRegistry.encoder("ssast-micro-patch", 48, 0, m, 1), spec, null,
          new Readout(Pooling.MEAN_PATCHES, List.of(2)));
    }
    InputLength.write(dir.resolve("a"), 96, dir.resolve("b"));
    assertThat(ModelDirectory.readManifest(dir.resolve("b")).readout().layers()).containsExactly(2);
  }
}
