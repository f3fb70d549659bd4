package dev.earshot.train;

import static org.assertj.core.api.Assertions.assertThat;

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
import dev.earshot.pretrain.ClusterMasking;
import dev.earshot.pretrain.ssast.SsastConfig;
import dev.earshot.pretrain.ssast.SsastHeads;
import dev.earshot.pretrain.ssast.SsastObjective;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SSAST pretraining on a tiny configuration: finite loss, gradients everywhere, loss goes down. */
class SsastTrainingTest {
  @TempDir static Path dir;
  static TinyData data;

  @BeforeAll
  static void data() throws Exception {
    data = new TinyData(dir.resolve("data"), 64, 1, 1);
  }

  static SsastObjective objective(TensorScope manager, long seed) {
    AudioTransformerConfig config = ModelRegistry.get("ssast-micro-patch", 48, 0);
    AudioTransformer encoder = new AudioTransformer(manager, config, seed);
    SsastHeads heads = new SsastHeads(manager, 64, 256, new SplittableRandom(seed));
    return new SsastObjective(encoder, heads, SsastConfig.joint(ClusterMasking.patches(16)), seed);
  }

  @Test
  void everyTrainableParameterGetsAGradientAndTheLossIsFinite() {
    Engine.disableGradientsForThisThread();
    try (TensorScope manager = TensorScope.newBaseScope();
        BatchLoader loader = new BatchLoader(data.pool, data.source, new Sampler.Shuffled(data.pool.size(), 1), 8, 1,
            null, 1, 0)) {
      SsastObjective objective = objective(manager, 1);
      objective.setTraining(true);
      Batch batch = loader.batch(0);
      try (TensorScope step = manager.newSubScope(); GradientTape gc = GradientTape.record()) {
        StepOutput out = objective.forward(batch, step, 0);
        assertThat(out.metrics().get("loss")).isFinite();
        assertThat(out.metrics()).containsKeys("nce", "mse", "mpc_acc");
        gc.backward(out.loss());
      }
      for (Map.Entry<String, Module> m : objective.trainable().entrySet()) {
        for (Map.Entry<String, Parameter> p : m.getValue().namedParameters().entrySet()) {
          assertThat(p.getValue().array().hasGradient()).as(p.getKey()).isTrue();
          float[] g = p.getValue().array().getGradient().toFloatArray();
          double norm = 0;
          for (float v : g) {
            norm += v * v;
          }
          assertThat(norm).as("gradient norm of %s.%s", m.getKey(), p.getKey()).isGreaterThan(0).isFinite();
        }
      }
    }
  }

  @Test
  void lossGoesDownOverAFewSteps() {
    try (TensorScope manager = TensorScope.newBaseScope();
        BatchLoader loader = new BatchLoader(data.pool, data.source, new Sampler.Shuffled(data.pool.size(), 2), 8, 2,
            null, 2, 2)) {
      SsastObjective objective = objective(manager, 2);
      AdamW adam = new AdamW(manager, ParamGroups.build(objective.trainable(), 0.01, 1, 2, true),
          AdamW.Settings.adamW(0.9, 0.95));
      Trainer trainer = new Trainer(objective, loader, adam, new LrSchedule.WarmupCosine(1e-3, 5, 60, 1e-5),
          new TrainerConfig(60, 1, 1.0, 1000, 1, 2), dir.resolve("run"), Map.of("t", "down"), null);
      List<Map<String, Double>> rows = trainer.run(false).rows();
      double first = rows.subList(0, 10).stream().mapToDouble(r -> r.get("loss")).average().orElseThrow();
      double last = rows.subList(50, 60).stream().mapToDouble(r -> r.get("loss")).average().orElseThrow();
      System.out.printf("SSAST tiny: mean loss over steps 1-10 %.3f, 51-60 %.3f%n", first, last);
      rows.forEach(r -> assertThat(r.get("loss")).isFinite());
      assertThat(last).isLessThan(first);
    }
  }
}
