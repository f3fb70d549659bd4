package dev.earshot.pretrain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.earshot.tensor.Tensor;
import dev.earshot.tensor.TensorScope;
import dev.earshot.tensor.Shape;
import dev.earshot.tensor.GradientTape;
import com.fasterxml.jackson.databind.JsonNode;
import dev.earshot.data.Batch;
import dev.earshot.interop.ImportOptions;
import dev.earshot.interop.ImportSource;
import dev.earshot.interop.ImportedModel;
import dev.earshot.interop.Imports;
import dev.earshot.io.HostTensor;
import dev.earshot.io.Npy;
import dev.earshot.io.NpyArray;
import dev.earshot.io.TorchCheckpointReader;
import dev.earshot.model.AudioTransformer;
import dev.earshot.tensor.Engine;
import dev.earshot.nn.Parameter;
import dev.earshot.nn.StateDict;
import dev.earshot.pretrain.eat.EatConfig;
import dev.earshot.pretrain.eat.EatDecoder;
import dev.earshot.pretrain.eat.EatObjective;
import dev.earshot.testing.Fixtures;
import dev.earshot.train.AdamW;
import dev.earshot.train.EmaSchedule;
import dev.earshot.train.ParamGroup;
import dev.earshot.train.StepOutput;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * One EAT pretraining step equals the official code's (Data2VecMultiModel.forward in training mode, the
 * fairseq model criterion's reduction) on the same weights, inverse block masks and decoder noise: teacher
 * targets, frame and utterance losses, every gradient of student and decoder, the parameters after a torch
 * AdamW update with EAT's no-decay rule, and the EMA teacher after update 1.
 */
class EatPretrainingParityTest {
  private static final String DIR = "/fixtures/models/eat_pretrain_step/";
  private static final String IMAGE = "modality_encoders.IMAGE.";

  @Test
  void oneStepMatchesTheOfficialCode() {
    JsonNode c = Fixtures.modelCase("eat_pretrain_step");
    Path checkpoint = Fixtures.path(DIR + "checkpoint.pt");
    int clones = c.get("clones").asInt();
    int frames = c.get("frames").asInt();
    JsonNode dec = c.get("decoder");
    Engine.disableGradientsForThisThread();
    try (TensorScope manager = TensorScope.newBaseScope()) {
      ImportOptions options = ImportOptions.defaults().withGeometry(frames, null, null);
      ImportedModel student = Imports.run(ImportSource.EAT, checkpoint, options);
      ImportedModel teacher = Imports.run(ImportSource.EAT, checkpoint, new ImportOptions(frames, null, null, null,
          null, null, null, null, true));
      AudioTransformer encoder = new AudioTransformer(manager, student.config(), 0);
      StateDict.load(encoder, student.weights(), checkpoint);
      AudioTransformer teacherModel = new AudioTransformer(manager, teacher.config(), 1);
      EatDecoder decoder = new EatDecoder(manager, student.config().embedDim(), dec.get("layers").asInt(),
          dec.get("kernel").asInt(), dec.get("groups").asInt(), new SplittableRandom(2));
      Map<String, HostTensor> all = TorchCheckpointReader.stateDict(checkpoint, TorchCheckpointReader.read(checkpoint),
          "model");
      Map<String, HostTensor> decoderWeights = new LinkedHashMap<>();
      all.forEach((k, v) -> {
        if (k.startsWith(IMAGE + "decoder.")) {
          decoderWeights.put(k.substring((IMAGE + "decoder.").length()), v);
        }
      });
      StateDict.load(decoder, decoderWeights, checkpoint);
      EatConfig config = new EatConfig(InverseBlockMasking.eatBase(), clones, dec.get("layers").asInt(),
          dec.get("kernel").asInt(), dec.get("groups").asInt(), 0.01, new EmaSchedule(0.9998, 0.99999, 100_000), 1,
          EatConfig.UtteranceReduction.SUM_OVER_CLONES, student.config().depth());
      EatObjective objective = new EatObjective(encoder, teacherModel, decoder, config, 0);
      // the teacher starts as the student's copy; the checkpoint's _ema must say the same
      assertThat(maxDiff(StateDict.of(teacherModel), teacher.weights())).isLessThan(1e-7);
      objective.setTraining(true);

      Batch batch = Fixtures.batch(DIR + "input.npy");
      Mask masks = masks(DIR + "mask.npy");
      assertThat(masks.count()).isEqualTo(c.get("masked_per_clone").asInt());
      NpyArray noiseFile = Npy.read(Fixtures.path(DIR + "noise.npy"));
      NpyArray targetFile = Npy.read(Fixtures.path(DIR + "targets.npy"));

      StepOutput out;
      double targetDiff;
      try (TensorScope step = manager.newSubScope()) {
        Tensor noise = step.create(noiseFile.toFloats(), new Shape(java.util.Arrays.stream(noiseFile.shape()).asLongStream().toArray()));
        Tensor x = step.create(batch.flatFeatures(), new Shape(batch.size(), frames, 128));
        targetDiff = maxDiff(objective.teacherTargets(x, frames).frames().toFloatArray(), targetFile.toFloats());
        try (GradientTape gc = GradientTape.record()) {
          out = objective.forward(batch, step, masks, noise);
          gc.backward(out.loss());
        }
      }
      assertThat(targetDiff).as("teacher targets").isLessThan(1e-4);
      JsonNode losses = c.get("losses");
      assertThat(out.metrics().get("frame")).isCloseTo(losses.get("frame").asDouble(), within(1e-4));
      assertThat(out.metrics().get("utterance")).isCloseTo(losses.get("utterance").asDouble(),
          within(1e-4 * Math.max(1, losses.get("utterance").asDouble())));
      assertThat(out.metrics().get("loss")).isCloseTo(losses.get("loss").asDouble(),
          within(1e-4 * Math.max(1, losses.get("loss").asDouble())));

      Map<String, Parameter> params = new LinkedHashMap<>();
      encoder.namedParameters().forEach((k, v) -> params.put("encoder." + k, v));
      decoder.namedParameters().forEach((k, v) -> params.put("decoder." + k, v));
      Map<String, float[]> grads = Fixtures.npz(Fixtures.path(DIR + "grads.npz"));
      double worstGrad = 0;
      for (Map.Entry<String, float[]> g : grads.entrySet()) {
        Parameter p = params.get(ours(g.getKey()));
        assertThat(p).as("parameter for %s", g.getKey()).isNotNull();
        assertThat(p.array().hasGradient()).as("gradient of %s", g.getKey()).isTrue();
        double relative = maxDiff(p.array().getGradient().toFloatArray(), g.getValue())
            / Math.max(maxAbs(g.getValue()), 1e-4);
        worstGrad = Math.max(worstGrad, relative);
        assertThat(relative).as("gradient of %s (relative to its largest entry)", g.getKey()).isLessThan(1e-3);
      }
      assertThat(grads).hasSize(params.size());
      for (Parameter p : teacherModel.namedParameters().values()) {
        assertThat(p.array().hasGradient()).as("the teacher never gets a gradient").isFalse();
      }

      // AdamW with EAT's rule (no decay on 1-D parameters and biases), on the reference gradients
      Map<String, Parameter> decay = new LinkedHashMap<>();
      Map<String, Parameter> noDecay = new LinkedHashMap<>();
      for (Map.Entry<String, float[]> g : grads.entrySet()) {
        Parameter p = params.get(ours(g.getKey()));
        try (Tensor handle = p.array().getGradient()) {
          handle.set(g.getValue());
        }
        boolean exempt = p.array().getShape().dimension() == 1 || g.getKey().endsWith(".bias");
        (exempt ? noDecay : decay).put(g.getKey(), p);
      }
      AdamW adam = new AdamW(manager, List.of(new ParamGroup("decay", decay, 1, 0.05),
          new ParamGroup("no_decay", noDecay, 1, 0)), AdamW.Settings.adamW(0.9, 0.95));
      adam.step(1e-3);
      objective.afterUpdate(0);
      assertThat(config.ema().decay(1)).isCloseTo(c.get("ema_decay").asDouble(), within(1e-12));
      Map<String, float[]> after = Fixtures.npz(Fixtures.path(DIR + "params_after_step.npz"));
      double worstParam = 0;
      for (Map.Entry<String, float[]> e : after.entrySet()) {
        worstParam = Math.max(worstParam, maxDiff(params.get(ours(e.getKey())).array().toFloatArray(), e.getValue()));
      }
      Map<String, Parameter> teacherParams = teacherModel.namedParameters();
      double worstTeacher = 0;
      int compared = 0;
      for (Map.Entry<String, float[]> e : Fixtures.npz(Fixtures.path(DIR + "teacher_after_step.npz")).entrySet()) {
        String name = ours(e.getKey());
        if (name == null) {
          continue; // the fixed position table: regenerated, not a parameter
        }
        Parameter p = teacherParams.get(name.substring("encoder.".length()));
        assertThat(p).as("teacher parameter for %s", e.getKey()).isNotNull();
        worstTeacher = Math.max(worstTeacher, maxDiff(p.array().toFloatArray(), e.getValue()));
        compared++;
      }
      assertThat(compared).isEqualTo(teacherParams.size());
      System.out.printf("EAT pretraining step parity: targets %.2e, loss %.6f vs %.6f, worst relative gradient diff"
              + " %.2e, parameters after AdamW %.2e, teacher after EMA %.2e%n", targetDiff, out.metrics().get("loss"),
          losses.get("loss").asDouble(), worstGrad, worstParam, worstTeacher);
      assertThat(worstParam).isLessThan(1e-5);
      assertThat(worstTeacher).isLessThan(1e-6);
    }
  }

  /** The official parameter names to ours (null for the fixed position table). */
  private static String ours(String name) {
    if (name.startsWith("blocks.")) {
      return "encoder." + name;
    }
    String rest = name.substring(IMAGE.length());
    if (rest.startsWith("decoder.")) {
      return rest;
    }
    if (rest.startsWith("local_encoder.proj.")) {
      return "encoder.patch_embed.proj." + rest.substring("local_encoder.proj.".length());
    }
    if (rest.startsWith("context_encoder.norm.")) {
      return "encoder.input_norm." + rest.substring("context_encoder.norm.".length());
    }
    if (rest.equals("extra_tokens")) {
      return "encoder.cls_token";
    }
    if (rest.equals("fixed_positional_encoder.positions")) {
      return null;
    }
    throw new IllegalArgumentException("unexpected parameter " + name);
  }

  private static Mask masks(String resource) {
    NpyArray a = Npy.read(Fixtures.path(resource));
    float[] v = a.toFloats();
    int rows = a.shape()[0];
    int n = a.shape()[1];
    int[][] idx = new int[rows][];
    for (int r = 0; r < rows; r++) {
      int count = 0;
      for (int p = 0; p < n; p++) {
        count += v[r * n + p] != 0 ? 1 : 0;
      }
      idx[r] = new int[count];
      int k = 0;
      for (int p = 0; p < n; p++) {
        if (v[r * n + p] != 0) {
          idx[r][k++] = p;
        }
      }
    }
    return new Mask(idx, n);
  }

  private static double maxDiff(Map<String, HostTensor> a, Map<String, HostTensor> b) {
    double worst = 0;
    for (Map.Entry<String, HostTensor> e : a.entrySet()) {
      worst = Math.max(worst, maxDiff(e.getValue().floats(), b.get(e.getKey()).floats()));
    }
    return worst;
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
