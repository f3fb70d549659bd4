package dev.earshot.infer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.earshot.features.Normalization;
import dev.earshot.model.ModelDirectory;
import dev.earshot.model.ModelRegistry;
import dev.earshot.model.OutputActivation;
import dev.earshot.model.Pooling;
import dev.earshot.model.PretrainedSpec;
import dev.earshot.model.Readout;
import dev.earshot.tensor.TensorScope;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The widths an embedder reports are the widths it produces, under every readout: the time std doubles the clip
 * embedding but not the patch embeddings, frequency rows multiply it by the rows, and an early MAST stage is
 * narrower than the last. A clip too short for a time step centred inside it still gets one.
 */
class EmbeddingWidthsTest {
  @TempDir Path dir;

  private Path export(String model, int frames, Readout readout) throws Exception {
    Path out = dir.resolve(model + "-" + readout.layers() + readout.timeStd() + readout.bands());
    PretrainedSpec spec = PretrainedSpec.ast(Normalization.AUDIOSET, frames, List.of(), OutputActivation.SOFTMAX, "t");
    try (TensorScope m = TensorScope.newBaseScope()) {
      ModelDirectory.export(out, ModelRegistry.encoder(model, frames, 0, m, 1), spec, null, readout);
    }
    return out;
  }

  private static float[][] noise(int frames, int bins) {
    SplittableRandom rng = new SplittableRandom(5);
    float[][] x = new float[frames][bins];
    for (float[] row : x) {
      for (int j = 0; j < bins; j++) {
        row[j] = (float) rng.nextGaussian();
      }
    }
    return x;
  }

  @Test
  void aVitReadByRowsWithTheStdKeepsItsPatchEmbeddingsAtD() throws Exception {
    Path model = export("ssast-micro-patch", 48, new Readout(Pooling.MEAN_PATCHES, List.of(0, 1, 2), true, true));
    try (AudioEmbedder e = AudioEmbedder.open(model)) {
      float[][] x = noise(48, 128);
      assertThat(e.embedFeatures(x)).hasSize(2 * 8 * 64); // 8 rows of 16 mel bins, mean and std of each
      assertThat(e.dimension()).isEqualTo(2 * 8 * 64);
      // the tokens stay 64 wide (they were cut at the clip embedding's width before)
      TokenEmbeddings tokens = e.embedTokensOfFeatures(x);
      assertThat(tokens.tokens()).hasNumberOfRows(8 * 3); // 8 rows x 3 time patches of 16 frames
      assertThat(tokens.tokens()[0]).hasSize(64);
      assertThat(e.tokenDimension()).isEqualTo(64);
    }
  }

  @Test
  void aClipShorterThanHalfATimeStepStillHasOneStep() throws Exception {
    Path model = export("ssast-micro-patch", 48, new Readout(Pooling.MEAN_PATCHES, List.of(-1), true, false));
    Path clip = dir.resolve("blip.wav");
    float[] samples = new float[960]; // 60 ms at 16 kHz: 4 frames, less than half of a 16-frame (160 ms) step
    for (int i = 0; i < samples.length; i++) {
      samples[i] = (float) Math.sin(i * 0.3);
    }
    dev.earshot.audio.WavWriter.write(clip, new float[][] {samples}, 16000, dev.earshot.audio.WavWriter.Coding.PCM16);
    try (AudioEmbedder e = AudioEmbedder.open(model)) {
      TimeSteps steps = e.embedTimeSteps(clip, e.defaultWindows());
      assertThat(steps.embeddings()).hasNumberOfRows(1);
      assertThat(steps.embeddings()[0]).hasSize(64);
      assertThat(steps.timestampsMs()).containsExactly(80.0);
    }
  }

  @Test
  void anEarlyMastStageIsNarrowerThanTheLast() throws Exception {
    // mast-mini: stage widths 32-64-128-256, blocks 1-1-2-1; block 2 ends the second stage
    Path plain = export("mast-mini", 64, new Readout(Pooling.MEAN_PATCHES, List.of(2), false, false));
    try (AudioEmbedder e = AudioEmbedder.open(plain)) {
      assertThat(e.embedFeatures(noise(64, 128))).hasSize(64);
      assertThat(e.dimension()).isEqualTo(64);
      assertThat(e.tokenDimension()).isEqualTo(64);
    }
    Path rows = export("mast-mini", 64, new Readout(Pooling.MEAN_PATCHES, List.of(2), true, true));
    try (AudioEmbedder e = AudioEmbedder.open(rows)) {
      int width = e.embedFeatures(noise(64, 128)).length;
      assertThat(width % (2 * 64)).isZero();
      assertThat(e.dimension()).isEqualTo(width);
      assertThat(e.embedTokensOfFeatures(noise(64, 128)).tokens()[0]).hasSize(64);
      assertThat(e.tokenDimension()).isEqualTo(64);
    }
  }
}
