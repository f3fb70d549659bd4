package dev.earshot.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.earshot.tensor.Tensor;
import dev.earshot.tensor.TensorScope;
import dev.earshot.tensor.Shape;
import dev.earshot.ConfigException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every registered micro model builds, runs forward with the expected shapes, and exposes every layer. */
class ModelRegistryTest {
  @Test
  void everyMicroVariantRunsForward() {
    try (TensorScope manager = TensorScope.newBaseScope()) {
      for (String name : ModelRegistry.names()) {
        if (!name.contains("-micro")) {
          continue;
        }
        if (ModelRegistry.isMultiscale(name)) {
          try (TensorScope step = manager.newSubScope()) {
            Encoder mast = new dev.earshot.model.MultiscaleTransformer(step, ModelRegistry.multiscale(name, 64, 3), 1);
            assertThat(mast.forward(step.randomNormal(new Shape(2, 64, 128), 0, 1, 7)).getShape()).as(name)
                .isEqualTo(new Shape(2, 3));
          }
          continue;
        }
        AudioTransformerConfig config = ModelRegistry.get(name, 64, 3);
        try (TensorScope step = manager.newSubScope()) {
          AudioTransformer model = new AudioTransformer(step, config, 1);
          Tensor x = step.randomNormal(new Shape(2, 64, 128), 0, 1, 7);
          List<Tensor> hidden = new ArrayList<>();
          Tensor out = model.encode(model.embed(x), hidden);
          int tokens = config.specialTokens() + config.grid().numPatches();
          assertThat(out.getShape()).as(name).isEqualTo(new Shape(2, tokens, 64));
          assertThat(hidden).as(name).hasSize(config.depth() + 1);
          assertThat(model.forward(x).getShape()).as(name).isEqualTo(new Shape(2, 3));
        }
      }
    }
  }

  @Test
  void publishedSizesAndErrors() {
    AudioTransformerConfig base = ModelRegistry.get("ssast-base-patch", 1024, 0);
    assertThat(base.grid().numPatches()).isEqualTo(512);
    assertThat(base.embedDim()).isEqualTo(768);
    assertThat(ModelRegistry.get("ssast-tiny-frame", 1024, 0).grid().numPatches()).isEqualTo(512);
    assertThat(ModelRegistry.get("ast-base", 1024, 527).grid().numPatches()).isEqualTo(1212);
    assertThat(ModelRegistry.get("eat-large", 1024, 0).depth()).isEqualTo(24);
    assertThatThrownBy(() -> ModelRegistry.get("ssast-huge-patch", 1024, 0)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("unknown name");
  }
}
