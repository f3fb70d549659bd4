package dev.earshot.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.earshot.tensor.Tensor;
import dev.earshot.tensor.TensorScope;
import dev.earshot.tensor.Shape;
import dev.earshot.Version;
import dev.earshot.features.Normalization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Model directories: each architecture writes its own manifest, provenance travels, lengths can be rebuilt. */
class ModelDirectoryTest {
  @TempDir Path dir;

  private static PretrainedSpec spec(int frames) {
    return PretrainedSpec.ast(Normalization.AUDIOSET, frames, List.of(), OutputActivation.SOFTMAX, "test");
  }

  @Test
  void presetsBuilderAndManifestsAgree() {
    AudioTransformerConfig eat = ModelRegistry.get("eat-micro", 48, 0);
    assertThat(eat.toBuilder().build()).isEqualTo(eat);
    assertThat(AudioTransformerConfig.data2vec(eat.grid()).size(ModelSize.MICRO).build()).isEqualTo(eat);
    assertThat(ModelRegistry.family("ast-tiny")).isEqualTo(ModelFamily.AST);
    try (TensorScope m = TensorScope.newBaseScope()) {
      AudioTransformer vit = new AudioTransformer(m, ModelRegistry.get("vit-micro", 48, 0)
          .withRegularisation(0.1, 0.1, 0.2), 1);
      assertThat(vit.manifest(spec(48)).config().dropPath()).isEqualTo(0.2);
      assertThat(vit.inferenceManifest(spec(48)).config()).isEqualTo(ModelRegistry.get("vit-micro", 48, 0));
      Encoder mast = ModelRegistry.encoder("mast-micro", 48, 0, m, 1);
      assertThat(mast).isInstanceOf(MultiscaleTransformer.class);
      assertThat(mast.manifest(spec(48)).usesMultiscale()).isTrue();
    }
  }

  @Test
  void provenanceIsWrittenAndOldManifestsWithoutItStillLoad() throws Exception {
    Provenance p = Provenance.of("pretraining", Map.of("method", "x", "steps", 3), 7L, "pool (4 clips)", 3L);
    try (TensorScope m = TensorScope.newBaseScope()) {
      ModelDirectory.write(dir.resolve("a"), ModelRegistry.encoder("ssast-micro-patch", 48, 0, m, 1), spec(48), p);
    }
    ModelDirectory.Manifest read = ModelDirectory.readManifest(dir.resolve("a"));
    assertThat(read.provenance()).isEqualTo(p);
    assertThat(read.provenance().earshotVersion()).isEqualTo(Version.current());
    Path old = dir.resolve("a/model.json");
    Files.writeString(old, Files.readString(old).replaceAll("(?s),\\s*\"provenance\" : \\{.*\\}\\s*}\\s*$", "\n}\n"));
    assertThat(Files.readString(old)).doesNotContain("provenance");
    assertThat(ModelDirectory.readManifest(dir.resolve("a")).provenance()).isNull();
  }

  @Test
  void aModelRebuiltForAnotherLengthRunsAtThatLength() throws Exception {
    try (TensorScope m = TensorScope.newBaseScope()) {
      ModelDirectory.write(dir.resolve("short"), ModelRegistry.encoder("ssast-micro-patch", 48, 0, m, 1), spec(48),
          null);
      InputLength.write(dir.resolve("short"), 80, dir.resolve("long"));
      Encoder e = ModelDirectory.load(dir.resolve("long"), m);
      assertThat(e.inputFrames()).isEqualTo(80);
      assertThat(ModelDirectory.readManifest(dir.resolve("long")).spec().targetFrames()).isEqualTo(80);
      Tensor pooled = e.clipEmbedding(m.randomNormal(new Shape(1, 80, 128), 0, 1, 7));
      assertThat(pooled.getShape()).isEqualTo(new Shape(1, 64));
    }
  }
}
