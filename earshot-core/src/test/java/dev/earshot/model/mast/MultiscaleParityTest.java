package dev.earshot.model.mast;

import static org.assertj.core.api.Assertions.assertThat;

import dev.earshot.tensor.Tensor;
import dev.earshot.tensor.TensorScope;
import dev.earshot.tensor.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import dev.earshot.io.HostTensor;
import dev.earshot.io.Npy;
import dev.earshot.io.NpyArray;
import dev.earshot.model.MultiscaleTransformer;
import dev.earshot.io.TorchCheckpointReader;
import dev.earshot.tensor.Engine;
import dev.earshot.nn.StateDict;
import dev.earshot.testing.Fixtures;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The MAST encoder equals timm 0.9.12's MViTv2 with LAPE's audio stem (fixtures from tools/fixtures/gen_mast.py):
 * every stage's output and the final features, for a 200-frame and a 560-frame input (the latter fills the
 * 56-wide relative-position tables, the longest LAPE can take).
 */
class MultiscaleParityTest {
  private static final String DIR = "/fixtures/mast/";

  static MultiscaleConfig config(int frames) {
    return new MultiscaleConfig(frames, 128, 16, 10, new int[] {16, 32, 64, 128}, new int[] {1, 2, 2, 1},
        new int[] {1, 2, 2, 4}, 4, 3, new int[] {1, 2, 2, 2}, 4, 56, 0, 0, 1e-5);
  }

  @Test
  void stagesAndFeaturesMatchTimm() {
    JsonNode manifest = Fixtures.json(DIR + "manifest.json");
    Path checkpoint = Fixtures.path(DIR + "model.pth");
    Map<String, HostTensor> weights = TorchCheckpointReader.stateDict(checkpoint, TorchCheckpointReader.read(checkpoint));
    Engine.disableGradientsForThisThread();
    double worst = 0;
    try (TensorScope manager = TensorScope.newBaseScope()) {
      MultiscaleTransformer model = new MultiscaleTransformer(manager, config(560), 0);
      StateDict.load(model, weights, checkpoint);
      for (JsonNode c : manifest.get("cases")) {
        try (TensorScope step = manager.newSubScope()) {
          NpyArray in = Npy.read(Fixtures.path(DIR + c.get("input").asText()));
          Tensor x = step.create(in.toFloats(), new Shape(2, in.shape()[1], 128));
          List<PoolingAttention.Output> stages = model.stageOutputs(x);
          for (int s = 0; s < 4; s++) {
            float[] expected = Npy.read(Fixtures.path(DIR + c.get("stages").get(s).asText())).toFloats();
            worst = Math.max(worst, maxDiff(stages.get(s).x().toFloatArray(), expected, "stage " + s));
          }
          float[] features = Npy.read(Fixtures.path(DIR + c.get("features").asText())).toFloats();
          worst = Math.max(worst, maxDiff(model.features(x).toFloatArray(), features, "features"));
        }
      }
    }
    System.out.printf("MAST parity with timm MViTv2: worst max|diff| %.2e%n", worst);
    assertThat(worst).isLessThan(1e-4);
  }

  private static double maxDiff(float[] a, float[] b, String what) {
    assertThat(a).as(what).hasSameSizeAs(b);
    double worst = 0;
    for (int i = 0; i < a.length; i++) {
      worst = Math.max(worst, Math.abs(a[i] - b[i]));
    }
    return worst;
  }
}
