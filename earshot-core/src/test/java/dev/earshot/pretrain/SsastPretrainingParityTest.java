package dev.earshot.pretrain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.earshot.tensor.TensorScope;
import dev.earshot.tensor.GradientTape;
import dev.earshot.tensor.Tensor;
import com.fasterxml.jackson.databind.JsonNode;
import dev.earshot.data.Batch;
import dev.earshot.interop.ImportOptions;
import dev.earshot.interop.ImportSource;
import dev.earshot.interop.ImportedModel;
import dev.earshot.interop.Imports;
import dev.earshot.interop.SsastPretrainingHeads;
import dev.earshot.io.Npy;
import dev.earshot.io.NpyArray;
import dev.earshot.model.AudioTransformer;
import dev.earshot.tensor.Engine;
import dev.earshot.nn.Module;
import dev.earshot.nn.Parameter;
import dev.earshot.nn.StateDict;
import dev.earshot.pretrain.ssast.SsastConfig;
import dev.earshot.pretrain.ssast.SsastHeads;
import dev.earshot.pretrain.ssast.SsastObjective;
import dev.earshot.testing.Fixtures;
import dev.earshot.train.AdamW;
import dev.earshot.train.ParamGroup;
import dev.earshot.train.StepOutput;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * One SSAST pretraining step equals the official code's (traintest_mask.py 'pretrain_joint' with replayed
 * masks): InfoNCE, accuracy, MSE, the joint loss, every parameter gradient, and the parameters after one
 * torch.optim.Adam step (coupled weight decay 5e-7, betas 0.95/0.999, lr 5e-4).
 */
class SsastPretrainingParityTest {
  private static final String DIR = "/fixtures/models/ssast_pretrain_step/";

  @Test
  void oneStepMatchesTheOfficialCode() throws Exception {
    JsonNode c = Fixtures.modelCase("ssast_pretrain_step");
    Path checkpoint = Fixtures.path(DIR + "model.pth");
    Engine.disableGradientsForThisThread();
    try (TensorScope manager = TensorScope.newBaseScope()) {
      ImportedModel imported = Imports.run(ImportSource.SSAST, checkpoint, ImportOptions.defaults().withHeads(4));
      AudioTransformer encoder = new AudioTransformer(manager, imported.config(), 0);
      StateDict.load(encoder, imported.weights(), checkpoint);
      SsastHeads heads = new SsastHeads(manager, 64, 256, new SplittableRandom(0));
      StateDict.load(heads, SsastPretrainingHeads.read(checkpoint), checkpoint);
      encoder.setTraining(true);
      SsastObjective objective = new SsastObjective(encoder, heads, SsastConfig.joint(ClusterMasking.patches(20)), 0);

      Batch batch = Fixtures.batch(DIR + "input.npy");
      Mask mpc = mask(DIR + "mask_mpc.npy", 32);
      Mask mpg = mask(DIR + "mask_mpg.npy", 32);

      StepOutput out;
      try (TensorScope step = manager.newSubScope();
          GradientTape gc = GradientTape.record()) {
        out = objective.forward(batch, step, mpc, mpg);
        gc.backward(out.loss());
      }
      JsonNode losses = c.get("losses");
      assertThat(out.metrics().get("nce")).isCloseTo(losses.get("nce").asDouble(), within(1e-4));
      assertThat(out.metrics().get("mse")).isCloseTo(losses.get("mse").asDouble(), within(1e-5));
      assertThat(out.metrics().get("loss")).isCloseTo(losses.get("loss").asDouble(), within(2e-4));
      assertThat(out.metrics().get("mpc_acc")).isCloseTo(losses.get("mpc_acc").asDouble(), within(1e-6));

      Map<String, Parameter> params = named(encoder, heads);
      Map<String, float[]> grads = Fixtures.npz(Fixtures.path(DIR + "grads.npz"));
      double worstGrad = 0;
      for (Map.Entry<String, float[]> g : grads.entrySet()) {
        Parameter p = params.get(ours(g.getKey()));
        assertThat(p).as("parameter for %s", g.getKey()).isNotNull();
        float[] actual = p.array().getGradient().toFloatArray();
        double scale = 1e-8;
        for (float v : g.getValue()) {
          scale = Math.max(scale, Math.abs(v));
        }
        double diff = 0;
        for (int i = 0; i < actual.length; i++) {
          diff = Math.max(diff, Math.abs(actual[i] - g.getValue()[i]));
        }
        // Some gradients are exactly zero in exact arithmetic (the InfoNCE is invariant to a bias shared by
        // all predictions), so both sides hold float noise there: compare relatively, with an absolute floor.
        double relative = diff / Math.max(scale, 1e-4);
        worstGrad = Math.max(worstGrad, relative);
        assertThat(relative).as("gradient of %s (relative to its largest entry, floor 1e-4)", g.getKey())
            .isLessThan(1e-3);
      }
      assertThat(grads).hasSizeGreaterThan(30);

      // The optimizer is checked on the reference gradients themselves: where a true gradient is zero (see
      // above) Adam's first step turns float noise into +-lr, so our own gradients would differ there.
      for (Map.Entry<String, float[]> g : grads.entrySet()) {
        try (Tensor handle = params.get(ours(g.getKey())).array().getGradient()) {
          handle.set(g.getValue());
        }
      }
      Map<String, Parameter> trainable = new LinkedHashMap<>(params);
      AdamW adam = new AdamW(manager, List.of(new ParamGroup("all", trainable, 1, 5e-7)), AdamW.Settings.adam(0.95, 0.999));
      adam.step(5e-4);
      Map<String, float[]> after = Fixtures.npz(Fixtures.path(DIR + "params_after_step.npz"));
      double worstParam = 0;
      for (Map.Entry<String, float[]> e : after.entrySet()) {
        Parameter p = params.get(ours(e.getKey()));
        if (p == null) {
          continue; // timm's unused ImageNet heads
        }
        float[] actual = p.array().toFloatArray();
        for (int i = 0; i < actual.length; i++) {
          worstParam = Math.max(worstParam, Math.abs(actual[i] - e.getValue()[i]));
        }
      }
      System.out.printf("SSAST pretraining step parity: worst relative gradient diff %.2e, worst parameter diff after"
          + " Adam %.2e%n", worstGrad, worstParam);
      assertThat(worstParam).isLessThan(1e-5);
    }
  }

  private static Map<String, Parameter> named(Module encoder, Module heads) {
    Map<String, Parameter> out = new LinkedHashMap<>();
    encoder.namedParameters().forEach((k, v) -> out.put("encoder." + k, v));
    heads.namedParameters().forEach((k, v) -> out.put("ssast." + k, v));
    return out;
  }

  /** SSAST's parameter names to ours. */
  private static String ours(String name) {
    if (name.startsWith("v.")) {
      return "encoder." + name.substring(2);
    }
    return "ssast." + name;
  }

  private static Mask mask(String resource, int tokens) {
    NpyArray a = Npy.read(Fixtures.path(resource));
    long[] v = a.toLongs();
    int[][] idx = new int[a.shape()[0]][a.shape()[1]];
    for (int b = 0; b < idx.length; b++) {
      for (int k = 0; k < idx[0].length; k++) {
        idx[b][k] = (int) v[b * idx[0].length + k];
      }
    }
    return new Mask(idx, tokens);
  }
}
