package dev.earshot.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.earshot.tensor.Tensor;
import dev.earshot.tensor.TensorScope;
import dev.earshot.tensor.Shape;
import dev.earshot.tensor.GradientTape;
import dev.earshot.data.Batch;
import dev.earshot.data.BatchLoader;
import dev.earshot.data.Sampler;
import dev.earshot.model.mast.MultiscaleConfig;
import dev.earshot.tensor.Engine;
import dev.earshot.nn.Parameter;
import dev.earshot.pretrain.ssmast.MocoQueue;
import dev.earshot.pretrain.ssmast.SsmastConfig;
import dev.earshot.pretrain.ssmast.SsmastNetwork;
import dev.earshot.pretrain.ssmast.SsmastObjective;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SS-MAST: the contrastive loss by hand, queue semantics, gradients to the student only, the teacher's EMA. */
class SsmastTrainingTest {
  @TempDir static Path dir;
  static TinyData data;

  @BeforeAll
  static void data() throws Exception {
    data = new TinyData(dir.resolve("data"), 16, 1, 1);
  }

  /** MAST-micro on 48-frame inputs (12 x 4 stem grid), queue of 8, 30% patch-drop. */
  static SsmastObjective objective(TensorScope manager, long seed) {
    MultiscaleConfig c = MultiscaleConfig.preset("micro", 48, 0).withDropPath(0.1);
    SsmastConfig cfg = new SsmastConfig(48, 16, 8, 0.07, 0.99, 0.3);
    return new SsmastObjective(new SsmastNetwork(manager, c, 16, seed),
        new SsmastNetwork(manager, c.withDropPath(0), 16, seed + 1), cfg, seed);
  }

  @Test
  void contrastiveLossByHand() {
    try (TensorScope m = TensorScope.newBaseScope()) {
      // two queries, their keys, three negatives; unit vectors in 2-D
      Tensor q = m.create(new float[] {1, 0, 0, 1}, new Shape(2, 2));
      Tensor k = m.create(new float[] {0.6f, 0.8f, 0, 1}, new Shape(2, 2));
      Tensor queue = m.create(new float[] {1, 0, -1, 0, 1, 0}, new Shape(2, 3)); // columns (1,0) (0,1) (-1,0)
      double t = 0.5;
      // query 1: positive 0.6, negatives 1, 0, -1; query 2: positive 1, negatives 0, 1, 0
      double l1 = -Math.log(Math.exp(0.6 / t) / (Math.exp(0.6 / t) + Math.exp(1 / t) + 1 + Math.exp(-1 / t)));
      double l2 = -Math.log(Math.exp(1 / t) / (Math.exp(1 / t) + 1 + Math.exp(1 / t) + 1));
      assertThat((double) SsmastObjective.infoNce(q, k, queue, t).getFloat()).isCloseTo((l1 + l2) / 2, within(1e-5));
    }
  }

  @Test
  void theQueueWritesInOrderFromItsPointerAndWraps() {
    try (TensorScope m = TensorScope.newBaseScope()) {
      MocoQueue queue = new MocoQueue(m, 2, 5, 1);
      float[] start = queue.keys().toFloatArray();
      for (int j = 0; j < 5; j++) {
        assertThat(Math.hypot(start[j], start[5 + j])).as("initial column %d is a unit vector", j)
            .isCloseTo(1, within(1e-5));
      }
      queue.enqueue(m.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(3, 2))); // keys (1,2) (3,4) (5,6)
      assertThat(queue.pointer()).isEqualTo(3);
      queue.enqueue(m.create(new float[] {7, 8, 9, 10, 11, 12}, new Shape(3, 2))); // wraps: columns 3, 4, 0
      assertThat(queue.pointer()).isEqualTo(1);
      float[] v = queue.keys().toFloatArray(); // (2, 5), rows = dimensions
      assertThat(new float[] {v[0], v[5]}).containsExactly(11, 12);
      assertThat(new float[] {v[1], v[6]}).containsExactly(3, 4);
      assertThat(new float[] {v[2], v[7]}).containsExactly(5, 6);
      assertThat(new float[] {v[3], v[8]}).containsExactly(7, 8);
      assertThat(new float[] {v[4], v[9]}).containsExactly(9, 10);
    }
  }

  @Test
  void gradientsReachTheStudentOnlyAndTheTeacherMovesTwicePerStep() {
    Engine.disableGradientsForThisThread();
    try (TensorScope manager = TensorScope.newBaseScope();
        BatchLoader loader = new BatchLoader(data.pool, data.source, new Sampler.Shuffled(data.pool.size(), 1), 4, 1,
            null, 1, 0)) {
      SsmastObjective objective = objective(manager, 1);
      objective.setTraining(true);
      String key = "encoder.stages.2.blocks.0.attn.qkv.weight";
      float[] student = objective.student().namedParameters().get(key).array().toFloatArray();
      float[] teacherBefore = objective.teacherModel().namedParameters().get(key).array().toFloatArray();
      Batch batch = loader.batch(0);
      try (TensorScope step = manager.newSubScope(); GradientTape gc = GradientTape.record()) {
        var out = objective.forward(batch, step, 0);
        assertThat(out.metrics().get("loss")).isFinite().isPositive();
        gc.backward(out.loss());
      }
      for (Map.Entry<String, Parameter> p : objective.student().namedParameters().entrySet()) {
        double norm = 0;
        for (float v : p.getValue().array().getGradient().toFloatArray()) {
          norm += v * v;
        }
        assertThat(norm).as("gradient of %s", p.getKey()).isGreaterThan(0).isFinite();
      }
      for (Parameter p : objective.teacherModel().namedParameters().values()) {
        assertThat(p.array().hasGradient()).isFalse();
      }
      float[] teacher = objective.teacherModel().namedParameters().get(key).array().toFloatArray();
      double m = 0.99; // two EMA moves towards an unchanged student: t = m^2 t0 + (1 - m^2) s
      for (int i = 0; i < teacher.length; i++) {
        assertThat((double) teacher[i]).isCloseTo(m * m * teacherBefore[i] + (1 - m * m) * student[i], within(1e-5));
      }
      assertThat(objective.queue().pointer()).isEqualTo(0); // 2 x 4 keys into a queue of 8
    }
  }
}
