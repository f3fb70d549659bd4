package dev.earshot.pretrain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.earshot.tensor.Tensor;
import dev.earshot.tensor.TensorScope;
import dev.earshot.tensor.GradientTape;
import com.fasterxml.jackson.databind.JsonNode;
import dev.earshot.io.HostTensor;
import dev.earshot.io.Npy;
import dev.earshot.io.NpyArray;
import dev.earshot.io.TorchCheckpointReader;
import dev.earshot.model.AudioTransformerConfig;
import dev.earshot.model.ModelRegistry;
import dev.earshot.tensor.Engine;
import dev.earshot.nn.Parameter;
import dev.earshot.nn.StateDict;
import dev.earshot.pretrain.asit.AsitConfig;
import dev.earshot.pretrain.asit.AsitObjective;
import dev.earshot.pretrain.asit.AsitPipeline;
import dev.earshot.testing.Fixtures;
import dev.earshot.train.AdamW;
import dev.earshot.train.ParamGroup;
import dev.earshot.train.PerParameterClip;
import dev.earshot.train.StepOutput;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * One ASiT training step equals the official code's (train_one_epoch's body on the same weights, crops, GMML
 * corruption and masks, with a teacher that differs from the student and non-zero centres): the three loss
 * terms, every gradient after DINO's per-parameter clipping, the student after AdamW, the teacher after the
 * EMA update and both centres after their update.
 */
class AsitPretrainingParityTest {
  private static final String DIR = "/fixtures/asit/";

  @Test
  void oneStepMatchesTheOfficialCode() {
    JsonNode c = Fixtures.json(DIR + "manifest.json").get("cases").get(0);
    Path checkpoint = Fixtures.path(DIR + "checkpoint.pth");
    int frames = c.get("frames").asInt();
    AsitConfig config = new AsitConfig(frames, GroupMasking.asit(), 0.5, c.get("out_dim_cls").asInt(),
        c.get("out_dim_data").asInt(), c.get("hidden").asInt(), c.get("bottleneck").asInt(),
        c.get("rec_hidden").asInt(), c.get("rec_bottleneck").asInt(), 0.1, 0.04, 0.07, 30, 0.9, 0.996, 0.4, 2);
    AudioTransformerConfig backbone = ModelRegistry.get("vit-micro", frames, 0);
    Engine.disableGradientsForThisThread();
    try (TensorScope manager = TensorScope.newBaseScope()) {
      Object root = TorchCheckpointReader.read(checkpoint);
      Map<String, HostTensor> studentWeights = new LinkedHashMap<>();
      TorchCheckpointReader.stateDict(checkpoint, root, "student")
          .forEach((k, v) -> studentWeights.put(k.substring("module.".length()), v));
      Map<String, HostTensor> teacherWeights = TorchCheckpointReader.stateDict(checkpoint, root, "teacher");
      AsitPipeline student = new AsitPipeline(manager, backbone, config, 0);
      StateDict.load(student, studentWeights, checkpoint);
      AsitObjective objective = new AsitObjective(student, new AsitPipeline(manager, backbone, config, 1), config, 100,
          c.get("weight_decay").asDouble(), 0);
      StateDict.load(objective.teacherModel(), teacherWeights, checkpoint);
      objective.centres().namedParameters().get("cls").set(npy(DIR + "centre_cls_before.npy"));
      objective.centres().namedParameters().get("data").set(npy(DIR + "centre_data_before.npy"));
      objective.setTraining(true);

      AsitObjective.Views views = new AsitObjective.Views(
          new float[][][][] {clips(DIR + "clean0.npy"), clips(DIR + "clean1.npy")},
          new float[][][][] {clips(DIR + "corrupted0.npy"), clips(DIR + "corrupted1.npy")},
          new float[][][][] {clips(DIR + "mask0.npy"), clips(DIR + "mask1.npy")});
      StepOutput out;
      try (TensorScope step = manager.newSubScope();
          GradientTape gc = GradientTape.record()) {
        out = objective.forward(views, step, c.get("teacher_temp").asDouble());
        gc.backward(out.loss());
      }
      JsonNode losses = c.get("losses");
      assertThat(out.metrics().get("global")).isCloseTo(losses.get("cls").asDouble(), within(1e-4));
      assertThat(out.metrics().get("local")).isCloseTo(losses.get("data").asDouble(), within(1e-4));
      assertThat(out.metrics().get("rec")).isCloseTo(losses.get("rec").asDouble(), within(1e-5));
      assertThat(out.metrics().get("loss")).isCloseTo(losses.get("loss").asDouble(), within(2e-4));

      Map<String, Parameter> params = student.namedParameters();
      PerParameterClip.clip(params.values(), c.get("clip_grad").asDouble());
      Map<String, float[]> grads = Fixtures.npz(Fixtures.path(DIR + "grads.npz"));
      double worstGrad = 0;
      for (Map.Entry<String, float[]> g : grads.entrySet()) {
        Parameter p = params.get(g.getKey());
        assertThat(p).as("parameter %s", g.getKey()).isNotNull();
        double relative = maxDiff(p.array().getGradient().toFloatArray(), g.getValue())
            / Math.max(maxAbs(g.getValue()), 1e-4);
        worstGrad = Math.max(worstGrad, relative);
        assertThat(relative).as("clipped gradient of %s", g.getKey()).isLessThan(1e-3);
      }
      long trainable = params.values().stream().filter(Parameter::trainable).count();
      assertThat(grads).hasSize((int) trainable);
      for (Parameter p : objective.teacherModel().namedParameters().values()) {
        assertThat(p.array().hasGradient()).as("the teacher never gets a gradient").isFalse();
      }

      // AdamW with DINO's groups (no decay on biases and 1-D parameters), on the reference gradients
      Map<String, Parameter> decay = new LinkedHashMap<>();
      Map<String, Parameter> noDecay = new LinkedHashMap<>();
      for (Map.Entry<String, float[]> g : grads.entrySet()) {
        Parameter p = params.get(g.getKey());
        try (Tensor handle = p.array().getGradient()) {
          handle.set(g.getValue());
        }
        boolean exempt = p.array().getShape().dimension() == 1 || g.getKey().endsWith(".bias");
        (exempt ? noDecay : decay).put(g.getKey(), p);
      }
      AdamW adam = new AdamW(manager, List.of(new ParamGroup("decay", decay, 1, c.get("weight_decay").asDouble()),
          new ParamGroup("no_decay", noDecay, 1, 0)), AdamW.Settings.adamW(0.9, 0.999));
      adam.step(c.get("lr").asDouble(), objective.weightDecayScale(0));
      objective.afterUpdate(0);
      double worstStudent = compare(params, Fixtures.npz(Fixtures.path(DIR + "student_after_step.npz")));
      double worstTeacher = compare(objective.teacherModel().namedParameters(),
          Fixtures.npz(Fixtures.path(DIR + "teacher_after_step.npz")));
      double centres = Math.max(
          maxDiff(objective.centres().global().toFloatArray(), npy(DIR + "centre_cls_after.npy")),
          maxDiff(objective.centres().local().toFloatArray(), npy(DIR + "centre_data_after.npy")));
      System.out.printf("ASiT pretraining step parity: loss %.6f vs %.6f, worst relative clipped gradient diff %.2e,"
              + " student after AdamW %.2e, teacher after EMA %.2e, centres %.2e%n", out.metrics().get("loss"),
          losses.get("loss").asDouble(), worstGrad, worstStudent, worstTeacher, centres);
      assertThat(worstStudent).isLessThan(1e-5);
      assertThat(worstTeacher).isLessThan(1e-6);
      assertThat(centres).isLessThan(1e-5);
    }
  }

  private static double compare(Map<String, Parameter> ours, Map<String, float[]> reference) {
    double worst = 0;
    for (Map.Entry<String, float[]> e : reference.entrySet()) {
      Parameter p = ours.get(e.getKey());
      assertThat(p).as("parameter %s", e.getKey()).isNotNull();
      worst = Math.max(worst, maxDiff(p.array().toFloatArray(), e.getValue()));
    }
    assertThat(reference).hasSize(ours.size());
    return worst;
  }

  private static float[] npy(String resource) {
    return Npy.read(Fixtures.path(resource)).toFloats();
  }

  /** (B, T, F) from a float .npy. */
  private static float[][][] clips(String resource) {
    return Fixtures.batch(resource).features();
  }

  private static double maxDiff(float[] a, float[] b) {
    assertThat(a).hasSameSizeAs(b);
    double worst = 0;
    for (int i = 0; i < a.length; i++) {
      worst = Math.max(worst, Math.abs(a[i] - b[i]));
    }
    return worst;
  }

  private static double maxAbs(float[] a) {
    double m = 0;
    for (float v : a) {
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }
}
