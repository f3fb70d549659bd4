package dev.earshot.infer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.earshot.tensor.TensorScope;
import dev.earshot.EarshotException;
import dev.earshot.features.Normalization;
import dev.earshot.model.AudioTransformer;
import dev.earshot.model.ModelDirectory;
import dev.earshot.model.ModelRegistry;
import dev.earshot.model.OutputActivation;
import dev.earshot.model.PretrainedSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An error inside the inference worker fails only the request that caused it; the runner keeps serving. */
class RunnerResilienceTest {
  @TempDir Path dir;

  @Test
  void anOutOfMemoryErrorInTheWorkerFailsThatRequestAndLaterOnesWork() throws Exception {
    Path model = dir.resolve("micro");
    try (TensorScope m = TensorScope.newBaseScope()) {
      ModelDirectory.write(model, new AudioTransformer(m, ModelRegistry.get("vit-micro", 64, 0), 1),
          PretrainedSpec.ast(Normalization.AUDIOSET, 64, List.of(), OutputActivation.SOFTMAX, "test"), null);
    }
    float[][] clip = new float[64][128];
    // 2^22 frames that share one row: 16 MB for the caller, 2 GB of floats for the worker's batch buffer,
    // beyond the test JVM's heap (-Xmx2g)
    float[] row = new float[128];
    float[][] huge = new float[1 << 22][];
    java.util.Arrays.fill(huge, row);
    try (AudioEmbedder embedder = AudioEmbedder.open(model, -1, 4)) {
      float[] before = embedder.embedFeatures(clip);
      for (int i = 0; i < 2; i++) {
        assertThatThrownBy(() -> assertTimeoutPreemptively(Duration.ofSeconds(60), () -> embedder.embedFeatures(huge)))
            .isInstanceOf(EarshotException.class)
            .hasMessageContaining("ran out of memory");
      }
      float[] after = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> embedder.embedFeatures(clip));
      assertThat(after).containsExactly(before);
    }
  }
}
