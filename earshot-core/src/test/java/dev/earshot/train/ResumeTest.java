package dev.earshot.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.earshot.tensor.TensorScope;
import dev.earshot.EarshotException;
import dev.earshot.data.BatchLoader;
import dev.earshot.data.Sampler;
import dev.earshot.io.HostTensor;
import dev.earshot.io.Safetensors;
import dev.earshot.pretrain.ssast.SsastObjective;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run stopped after a checkpoint and resumed equals an uninterrupted run: same metrics, same weights. */
class ResumeTest {
  @TempDir static Path dir;
  static TinyData data;

  @BeforeAll
  static void data() throws Exception {
    data = new TinyData(dir.resolve("data"), 48, 1, 1);
  }

  private static MetricsLog train(Path run, long steps, long checkpointEvery, boolean resume) {
    return train(run, steps, checkpointEvery, resume, m -> SsastTrainingTest.objective(m, 5));
  }

  private static MetricsLog train(Path run, long steps, long checkpointEvery, boolean resume,
      Function<TensorScope, Objective> method) {
    try (TensorScope manager = TensorScope.newBaseScope();
        BatchLoader loader = new BatchLoader(data.pool, data.source, new Sampler.Shuffled(data.pool.size(), 5), 6, 5,
            null, 2, 2)) {
      Objective objective = method.apply(manager);
      AdamW adam = new AdamW(manager, ParamGroups.build(objective.trainable(), 0.01, 1, 2, true),
          AdamW.Settings.adamW(0.9, 0.95));
      Trainer trainer = new Trainer(objective, loader, adam, new LrSchedule.WarmupCosine(1e-3, 4, 24, 1e-5),
          new TrainerConfig(steps, 1, 1.0, checkpointEvery, 1, 5), run, Map.of("recipe", "resume-test"), null);
      return trainer.run(resume);
    }
  }

  /** The weights file of a run's newest checkpoint. */
  static Path weights(Path run) {
    return Checkpoint.latest(run.resolve("checkpoint")).orElseThrow().resolve(Checkpoint.WEIGHTS);
  }

  @Test
  void resumedRunEqualsUninterruptedRun() {
    Path straight = dir.resolve("straight");
    List<Map<String, Double>> expected = train(straight, 24, 8, false).rows();

    Path interrupted = dir.resolve("interrupted");
    train(interrupted, 16, 8, false); // "killed" after the checkpoint at step 16
    List<Map<String, Double>> resumed = train(interrupted, 24, 8, true).rows();

    assertThat(resumed).hasSize(24);
    // the training clock continues across the interruption instead of starting again at zero
    for (int i = 16; i < 24; i++) {
      assertThat(resumed.get(i).get("seconds")).as("seconds at step %d", i + 1)
          .isGreaterThan(resumed.get(15).get("seconds"));
    }
    for (int i = 0; i < 24; i++) {
      for (String k : List.of("step", "lr", "loss", "nce", "mse", "mpc_acc", "grad_norm")) {
        assertThat(resumed.get(i).get(k)).as("step %d %s", i + 1, k).isEqualTo(expected.get(i).get(k));
      }
    }
    Map<String, HostTensor> a = Safetensors.read(weights(straight)).tensors();
    Map<String, HostTensor> b = Safetensors.read(weights(interrupted)).tensors();
    assertThat(b.keySet()).isEqualTo(a.keySet());
    a.forEach((k, v) -> assertThat(b.get(k)).as(k).isEqualTo(v));
    assertThat(Checkpoint.readState(interrupted.resolve("checkpoint")).step()).isEqualTo(24);
  }

  @Test
  void resumedEatRunEqualsUninterruptedRunTeacherIncluded() {
    Function<TensorScope, Objective> eat = m -> EatTrainingTest.objective(m, 6);
    Path straight = dir.resolve("eat-straight");
    List<Map<String, Double>> expected = train(straight, 12, 4, false, eat).rows();
    Path interrupted = dir.resolve("eat-interrupted");
    train(interrupted, 8, 4, false, eat);
    List<Map<String, Double>> resumed = train(interrupted, 12, 4, true, eat).rows();
    assertThat(resumed).hasSize(12);
    for (int i = 0; i < 12; i++) {
      for (String k : List.of("loss", "frame", "utterance", "grad_norm")) {
        assertThat(resumed.get(i).get(k)).as("step %d %s", i + 1, k).isEqualTo(expected.get(i).get(k));
      }
    }
    Map<String, HostTensor> a = Safetensors.read(weights(straight)).tensors();
    Map<String, HostTensor> b = Safetensors.read(weights(interrupted)).tensors();
    assertThat(a.keySet()).anyMatch(k -> k.startsWith("teacher."));
    a.forEach((k, v) -> assertThat(b.get(k)).as(k).isEqualTo(v));
  }

  @Test
  void resumedAsitRunEqualsUninterruptedRunTeacherAndCentresIncluded() {
    Function<TensorScope, Objective> asit = m -> AsitTrainingTest.objective(m, 7);
    Path straight = dir.resolve("asit-straight");
    List<Map<String, Double>> expected = train(straight, 10, 4, false, asit).rows();
    Path interrupted = dir.resolve("asit-interrupted");
    train(interrupted, 8, 4, false, asit);
    List<Map<String, Double>> resumed = train(interrupted, 10, 4, true, asit).rows();
    assertThat(resumed).hasSize(10);
    for (int i = 0; i < 10; i++) {
      for (String k : List.of("loss", "global", "local", "rec", "grad_norm")) {
        assertThat(resumed.get(i).get(k)).as("step %d %s", i + 1, k).isEqualTo(expected.get(i).get(k));
      }
    }
    Map<String, HostTensor> a = Safetensors.read(weights(straight)).tensors();
    Map<String, HostTensor> b = Safetensors.read(weights(interrupted)).tensors();
    assertThat(a.keySet()).anyMatch(k -> k.startsWith("centres."));
    a.forEach((k, v) -> assertThat(b.get(k)).as(k).isEqualTo(v));
  }

  @Test
  void resumedSsmastRunEqualsUninterruptedRunQueueIncluded() {
    Function<TensorScope, Objective> ssmast = m -> SsmastTrainingTest.objective(m, 8);
    Path straight = dir.resolve("ssmast-straight");
    List<Map<String, Double>> expected = train(straight, 6, 3, false, ssmast).rows();
    Path interrupted = dir.resolve("ssmast-interrupted");
    train(interrupted, 3, 3, false, ssmast);
    List<Map<String, Double>> resumed = train(interrupted, 6, 3, true, ssmast).rows();
    assertThat(resumed).hasSize(6);
    for (int i = 0; i < 6; i++) {
      for (String k : List.of("loss", "accuracy", "grad_norm")) {
        assertThat(resumed.get(i).get(k)).as("step %d %s", i + 1, k).isEqualTo(expected.get(i).get(k));
      }
    }
    Map<String, HostTensor> a = Safetensors.read(weights(straight)).tensors();
    Map<String, HostTensor> b = Safetensors.read(weights(interrupted)).tensors();
    assertThat(a.keySet()).contains("queue.queue", "queue.queue_ptr");
    a.forEach((k, v) -> assertThat(b.get(k)).as(k).isEqualTo(v));
  }

  @Test
  void resumeRefusesAnotherConfiguration() {
    Path run = dir.resolve("other");
    train(run, 4, 4, false);
    assertThatThrownBy(() -> {
      try (TensorScope manager = TensorScope.newBaseScope();
          BatchLoader loader = new BatchLoader(data.pool, data.source, new Sampler.Shuffled(data.pool.size(), 5), 6, 5,
              null, 1, 0)) {
        SsastObjective objective = SsastTrainingTest.objective(manager, 5);
        AdamW adam = new AdamW(manager, ParamGroups.build(objective.trainable(), 0.01, 1, 2, true),
            AdamW.Settings.adamW(0.9, 0.95));
        new Trainer(objective, loader, adam, new LrSchedule.Constant(1e-3), new TrainerConfig(8, 1, 1.0, 4, 1, 5), run,
            Map.of("recipe", "something else"), null).run(true);
      }
    }).isInstanceOf(EarshotException.class).hasMessageContaining("different configuration");
  }
}
