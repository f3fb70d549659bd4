package dev.earshot.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.earshot.tensor.TensorScope;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.earshot.features.Normalization;
import dev.earshot.io.CheckpointFormatException;
import dev.earshot.io.HostTensor;
import dev.earshot.nn.Module;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model.json is validated (ranges, consistency) and its cost estimated before anything is built: a depth
 * of 100,000 or a width of 65,536 never reaches the allocator.
 */
class ModelFootprintTest {
  @TempDir Path dir;

  @Test
  void estimatesMatchTheBuiltModels() {
    try (TensorScope manager = TensorScope.newBaseScope()) {
      for (String name : ModelRegistry.names()) {
        if (!name.contains("-micro") && !name.equals("ast-tiny") && !name.equals("mast-tiny")) {
          continue;
        }
        try (TensorScope m = manager.newSubScope()) {
          long estimated;
          Module model;
          if (ModelRegistry.isMultiscale(name)) {
            var c = ModelRegistry.multiscale(name, 128, 5);
            estimated = ModelFootprint.of(c).parameters();
            model = new MultiscaleTransformer(m, c, 1);
          } else {
            var c = ModelRegistry.get(name, 128, 5);
            estimated = ModelFootprint.of(c).parameters();
            model = new AudioTransformer(m, c, 1);
          }
          long actual = model.namedParameters().values().stream().mapToLong(p -> p.array().size()).sum();
          assertThat((double) estimated / actual).as(name + ": estimated " + estimated + ", built " + actual)
              .isBetween(0.9, 1.1);
        }
      }
    }
  }

  /** A micro model directory whose manifest is then edited. */
  private Path modelDirectory(String name, java.util.function.Consumer<ObjectNode> edit) throws Exception {
    Path d = dir.resolve(name);
    AudioTransformerConfig config = ModelRegistry.get("ssast-micro-patch", 64, 2);
    ModelDirectory.write(d, config, PretrainedSpec.ast(Normalization.AUDIOSET, 64, List.of("a", "b"),
        OutputActivation.SOFTMAX, "test"), Map.of("x", HostTensor.ofFloats(new float[] {1}, 1)));
    ObjectMapper json = new ObjectMapper();
    ObjectNode manifest = (ObjectNode) json.readTree(d.resolve("model.json").toFile());
    edit.accept(manifest);
    Files.write(d.resolve("model.json"), json.writeValueAsBytes(manifest));
    return d;
  }

  private static ObjectNode config(ObjectNode manifest) {
    return (ObjectNode) manifest.get("config");
  }

  @Test
  void outOfRangeManifestsAreRefusedWhenRead() throws Exception {
    Path deep = modelDirectory("deep", m -> config(m).put("depth", 100_000));
    assertThatThrownBy(() -> ModelDirectory.readManifest(deep)).isInstanceOf(CheckpointFormatException.class)
        .hasMessageContaining("depth");
    Path wide = modelDirectory("wide", m -> config(m).put("embedDim", 65_536).put("mlpHidden", 65_536));
    assertThatThrownBy(() -> ModelDirectory.readManifest(wide)).isInstanceOf(CheckpointFormatException.class)
        .hasMessageContaining("embedDim");
    Path classes = modelDirectory("classes", m -> config(m).put("numClasses", 2e9));
    assertThatThrownBy(() -> ModelDirectory.readManifest(classes)).isInstanceOf(CheckpointFormatException.class)
        .hasMessageContaining("numClasses");
    Path labels = modelDirectory("labels", m -> config(m).put("numClasses", 3));
    assertThatThrownBy(() -> ModelDirectory.readManifest(labels)).isInstanceOf(CheckpointFormatException.class)
        .hasMessageContaining("spec.labels names 2 classes but the model has 3 outputs");
    Path frames = modelDirectory("frames", m -> ((ObjectNode) m.get("spec")).put("targetFrames", 1_000_000_000));
    assertThatThrownBy(() -> ModelDirectory.readManifest(frames)).isInstanceOf(CheckpointFormatException.class)
        .hasMessageContaining("targetFrames");
  }

  @Test
  void aModelTooLargeForTheBudgetIsRefusedBeforeItIsBuilt() throws Exception {
    // in range, but 256 blocks of width 16,384: about 825 billion parameters
    Path huge = modelDirectory("huge", m -> config(m).put("depth", 256).put("embedDim", 16_384).put("heads", 128)
        .put("mlpHidden", 65_536));
    ModelDirectory.Manifest manifest = ModelDirectory.readManifest(huge);
    assertThat(ModelFootprint.of(manifest).parameters()).isGreaterThan(800_000_000_000L);
    try (TensorScope manager = TensorScope.newBaseScope()) {
      assertThatThrownBy(() -> ModelDirectory.load(huge, manager)).isInstanceOf(CheckpointFormatException.class)
          .hasMessageContaining("budget for models");
    }
    // and the budget is what decides: a micro model passes a generous one and fails a tiny one
    ModelFootprint micro = ModelFootprint.of(ModelRegistry.get("ssast-micro-patch", 64, 2));
    micro.require(huge, 1L << 30);
    assertThatThrownBy(() -> micro.require(huge, 1000)).hasMessageContaining("budget for models");
  }
}
