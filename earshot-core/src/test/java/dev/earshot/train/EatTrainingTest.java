package dev.earshot.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.earshot.tensor.TensorScope;
import dev.earshot.tensor.GradientTape;
import dev.earshot.data.Batch;
import dev.earshot.data.BatchLoader;
import dev.earshot.data.Sampler;
import dev.earshot.model.AudioTransformer;
import dev.earshot.model.AudioTransformerConfig;
import dev.earshot.model.ModelRegistry;
import dev.earshot.tensor.Engine;
import dev.earshot.nn.Module;
import dev.earshot.nn.Parameter;
import dev.earshot.pretrain.InverseBlockMasking;
import dev.earshot.pretrain.eat.EatConfig;
import dev.earshot.pretrain.eat.EatDecoder;
import dev.earshot.pretrain.eat.EatObjective;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** EAT pretraining on a tiny configuration: gradients reach student and decoder only; the EMA teacher follows. */
class EatTrainingTest {
  @TempDir static Path dir;
  static TinyData data;

  @BeforeAll
  static void data() throws Exception {
    data = new TinyData(dir.resolve("data"), 32, 1, 1);
  }

  /** eat-micro on 48 frames (3 x 8 patches), 4 clones, half the patches masked in 3x3 blocks. */
  static EatObjective objective(TensorScope manager, long seed) {
    AudioTransformerConfig config = ModelRegistry.get("eat-micro", 48, 0);
    EatConfig eat = new EatConfig(new InverseBlockMasking(0.5, 0.07, 3), 4, 2, 3, 16, 0.01,
        new EmaSchedule(0.9, 0.99, 20), 1, EatConfig.UtteranceReduction.SUM_OVER_CLONES, 2);
    return new EatObjective(new AudioTransformer(manager, config, seed), new AudioTransformer(manager, config, seed + 1),
        new EatDecoder(manager, 64, 2, 3, 16, new SplittableRandom(seed)), eat, seed);
  }

  @Test
  void gradientsReachStudentAndDecoderButNeverTheTeacher() {
    Engine.disableGradientsForThisThread();
    try (TensorScope manager = TensorScope.newBaseScope();
        BatchLoader loader = new BatchLoader(data.pool, data.source, new Sampler.Shuffled(data.pool.size(), 1), 4, 1,
            null, 1, 0)) {
      EatObjective objective = objective(manager, 1);
      objective.setTraining(true);
      Batch batch = loader.batch(0);
      try (TensorScope step = manager.newSubScope(); GradientTape gc = GradientTape.record()) {
        StepOutput out = objective.forward(batch, step, 0);
        assertThat(out.metrics().get("loss")).isFinite().isPositive();
        assertThat(out.metrics()).containsKeys("frame", "utterance", "target_std", "pred_std", "ema_decay");
        assertThat(out.metrics().get("loss")).isCloseTo(out.metrics().get("frame") + out.metrics().get("utterance"),
            within(1e-4));
        gc.backward(out.loss());
      }
      for (Map.Entry<String, Module> m : objective.trainable().entrySet()) {
        for (Map.Entry<String, Parameter> p : m.getValue().namedParameters().entrySet()) {
          assertThat(p.getValue().array().hasGradient()).as(p.getKey()).isTrue();
          double norm = 0;
          for (float v : p.getValue().array().getGradient().toFloatArray()) {
            norm += v * v;
          }
          assertThat(norm).as("gradient norm of %s.%s", m.getKey(), p.getKey()).isGreaterThan(0).isFinite();
        }
      }
      for (Map.Entry<String, Parameter> p : objective.teacherModel().namedParameters().entrySet()) {
        assertThat(p.getValue().trainable()).as("teacher %s is frozen", p.getKey()).isFalse();
        assertThat(p.getValue().array().hasGradient()).as("teacher %s has no gradient", p.getKey()).isFalse();
      }
    }
  }

  @Test
  void theTeacherIsAnExponentialMovingAverageOfTheStudent() {
    try (TensorScope manager = TensorScope.newBaseScope();
        BatchLoader loader = new BatchLoader(data.pool, data.source, new Sampler.Shuffled(data.pool.size(), 2), 4, 2,
            null, 1, 1)) {
      EatObjective objective = objective(manager, 2);
      String key = "blocks.1.mlp.fc2.weight";
      float[] studentStart = objective.student().namedParameters().get(key).array().toFloatArray();
      assertThat(objective.teacherModel().namedParameters().get(key).array().toFloatArray()).isEqualTo(studentStart);
      AdamW adam = new AdamW(manager, ParamGroups.build(objective.trainable(), 0.05, 1, 2, true),
          AdamW.Settings.adamW(0.9, 0.95));
      new Trainer(objective, loader, adam, new LrSchedule.Constant(1e-3), new TrainerConfig(1, 1, 4.0, 100, 1, 2),
          dir.resolve("ema"), Map.of("t", "ema"), null).run(false);
      float[] student = objective.student().namedParameters().get(key).array().toFloatArray();
      float[] teacher = objective.teacherModel().namedParameters().get(key).array().toFloatArray();
      double decay = new EmaSchedule(0.9, 0.99, 20).decay(1); // 0.9045
      assertThat(decay).isCloseTo(0.99 - 0.09 * (1 - 1 / 20.0), within(1e-12));
      double worst = 0;
      for (int i = 0; i < student.length; i++) {
        worst = Math.max(worst, Math.abs(teacher[i] - (decay * studentStart[i] + (1 - decay) * student[i])));
      }
      assertThat(worst).isLessThan(1e-6);
      assertThat(student).isNotEqualTo(studentStart);
    }
  }

  @Test
  void theDecayScheduleIsAnnealedLinearlyThenHeld() {
    EmaSchedule s = new EmaSchedule(0.9998, 0.99999, 100_000);
    assertThat(s.decay(0)).isCloseTo(0.9998, within(1e-15));
    assertThat(s.decay(50_000)).isCloseTo((0.9998 + 0.99999) / 2, within(1e-12));
    assertThat(s.decay(100_000)).isEqualTo(0.99999);
    assertThat(s.decay(400_000)).isEqualTo(0.99999);
  }

  @Test
  void lossStaysFiniteOverTraining() {
    try (TensorScope manager = TensorScope.newBaseScope();
        BatchLoader loader = new BatchLoader(data.pool, data.source, new Sampler.Shuffled(data.pool.size(), 3), 4, 3,
            null, 2, 2)) {
      EatObjective objective = objective(manager, 3);
      AdamW adam = new AdamW(manager, ParamGroups.build(objective.trainable(), 0.05, 1, 2, true),
          AdamW.Settings.adamW(0.9, 0.95));
      List<Map<String, Double>> rows = new Trainer(objective, loader, adam, new LrSchedule.WarmupCosine(1e-3, 3, 30, 0),
          new TrainerConfig(30, 1, 4.0, 1000, 1, 3), dir.resolve("run"), Map.of("t", "eat"), null).run(false).rows();
      assertThat(rows).hasSize(30);
      rows.forEach(r -> assertThat(r.get("loss")).isFinite());
      double first = rows.subList(0, 5).stream().mapToDouble(r -> r.get("frame")).average().orElseThrow();
      double last = rows.subList(25, 30).stream().mapToDouble(r -> r.get("frame")).average().orElseThrow();
      System.out.printf("EAT tiny: mean frame loss over steps 1-5 %.3f, 26-30 %.3f%n", first, last);
      assertThat(last).isLessThan(first);
    }
  }
}
