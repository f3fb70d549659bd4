package dev.earshot.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.earshot.tensor.TensorScope;
import dev.earshot.tensor.GradientTape;
import dev.earshot.data.Batch;
import dev.earshot.data.BatchLoader;
import dev.earshot.data.Sampler;
import dev.earshot.model.AudioTransformerConfig;
import dev.earshot.model.ModelRegistry;
import dev.earshot.tensor.Engine;
import dev.earshot.nn.Parameter;
import dev.earshot.pretrain.GroupMasking;
import dev.earshot.pretrain.asit.AsitConfig;
import dev.earshot.pretrain.asit.AsitObjective;
import dev.earshot.pretrain.asit.AsitPipeline;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ASiT on a tiny configuration: gradients reach the student only; schedules and centres move as published. */
class AsitTrainingTest {
  @TempDir static Path dir;
  static TinyData data;

  @BeforeAll
  static void data() throws Exception {
    data = new TinyData(dir.resolve("data"), 24, 1, 1);
  }

  static AsitConfig config() {
    return new AsitConfig(32, GroupMasking.asit(), 0.5, 64, 32, 64, 16, 32, 8, 0.1, 0.04, 0.07, 10, 0.9, 0.996, 0.4, 2);
  }

  /** vit-micro on 32-frame crops (2 x 8 patches) of 48-frame clips. */
  static AsitObjective objective(TensorScope manager, long seed) {
    AudioTransformerConfig backbone = ModelRegistry.get("vit-micro", 32, 0);
    return new AsitObjective(new AsitPipeline(manager, backbone.withRegularisation(0, 0, 0.1), config(), seed),
        new AsitPipeline(manager, backbone, config(), seed + 1), config(), 20, 0.04, seed);
  }

  @Test
  void gradientsReachTheStudentOnlyAndTheCentresMove() {
    Engine.disableGradientsForThisThread();
    try (TensorScope manager = TensorScope.newBaseScope();
        BatchLoader loader = new BatchLoader(data.pool, data.source, new Sampler.Shuffled(data.pool.size(), 1), 4, 1,
            null, 1, 0)) {
      AsitObjective objective = objective(manager, 1);
      objective.setTraining(true);
      float[] centreBefore = objective.centres().global().toFloatArray();
      Batch batch = loader.batch(0);
      try (TensorScope step = manager.newSubScope(); GradientTape gc = GradientTape.record()) {
        StepOutput out = objective.forward(batch, step, 0);
        assertThat(out.metrics().get("loss")).isCloseTo(
            out.metrics().get("global") + out.metrics().get("local") + 2 * out.metrics().get("rec"), within(1e-4));
        gc.backward(out.loss());
      }
      for (Map.Entry<String, Parameter> p : objective.student().namedParameters().entrySet()) {
        if (!p.getValue().trainable()) {
          assertThat(p.getKey()).endsWith("weight_g"); // weight-norm scales are fixed at 1
          continue;
        }
        double norm = 0;
        for (float v : p.getValue().array().getGradient().toFloatArray()) {
          norm += v * v;
        }
        assertThat(norm).as("gradient of %s", p.getKey()).isGreaterThan(0).isFinite();
      }
      for (Parameter p : objective.teacherModel().namedParameters().values()) {
        assertThat(p.array().hasGradient()).isFalse();
      }
      assertThat(objective.centres().global().toFloatArray()).isNotEqualTo(centreBefore);
    }
  }

  @Test
  void schedulesFollowThePublishedShapes() {
    AsitConfig c = config();
    assertThat(c.teacherTemperature(0)).isEqualTo(0.04);
    assertThat(c.teacherTemperature(9)).isCloseTo(0.07, within(1e-12));
    assertThat(c.teacherTemperature(50)).isEqualTo(0.07);
    CosineSchedule momentum = new CosineSchedule(0.996, 1, 100);
    assertThat(momentum.value(0)).isEqualTo(0.996);
    assertThat(momentum.value(50)).isCloseTo(0.998, within(1e-12));
    assertThat(momentum.value(99)).isCloseTo(1, within(1e-5));
    CosineSchedule lr = new CosineSchedule(2.5e-4, 1e-6, 100, 10, 0); // DINO: linspace(0, base, 10) then cosine
    assertThat(lr.value(0)).isEqualTo(0);
    assertThat(lr.value(9)).isCloseTo(2.5e-4, within(1e-15));
    assertThat(lr.value(10)).isCloseTo(2.5e-4, within(1e-15));
    assertThat(lr.value(55)).isCloseTo(1e-6 + 0.5 * (2.5e-4 - 1e-6), within(1e-12));
    try (TensorScope manager = TensorScope.newBaseScope()) {
      AsitObjective objective = objective(manager, 2);
      assertThat(objective.weightDecayScale(0)).isCloseTo(1, within(1e-12));
      assertThat(objective.weightDecayScale(10) * 0.04).isCloseTo((0.04 + 0.4) / 2, within(1e-12));
    }
  }
}
