package dev.earshot.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.earshot.io.CheckpointFormatException;
import dev.earshot.io.HostTensor;
import dev.earshot.io.TorchCheckpointReader;
import dev.earshot.testing.Fixtures;
import dev.earshot.testing.PickleBytes;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Import accounts for every tensor of the model, not only of the file: a missing or mis-shaped parameter fails
 * the import (not a later classify), and so do NaN weights unless allowed.
 */
class StrictImportTest {
  @TempDir Path dir;

  private static Map<String, HostTensor> official() {
    Path file = Fixtures.path("/fixtures/models/ast/model.pth");
    return new LinkedHashMap<>(TorchCheckpointReader.stateDict(file, TorchCheckpointReader.read(file)));
  }

  private static ImportOptions options() {
    return ImportOptions.defaults().withHeads(4).withGeometry(100, 10, 10);
  }

  private Path write(String name, Map<String, HostTensor> weights) throws Exception {
    return PickleBytes.stateDict(dir.resolve(name), weights);
  }

  @Test
  void theUnmodifiedCheckpointImports() throws Exception {
    ImportedModel m = Imports.run(ImportSource.AST, write("ok.pth", official()), options());
    assertThat(m.weights()).containsKey("blocks.0.attn.qkv.weight");
  }

  @Test
  void aMissingQkvWeightFailsTheImport() throws Exception {
    Map<String, HostTensor> w = official();
    String qkv = w.keySet().stream().filter(k -> k.endsWith("blocks.1.attn.qkv.weight")).findFirst().orElseThrow();
    w.remove(qkv);
    Path file = write("missing-qkv.pth", w);
    assertThatThrownBy(() -> Imports.run(ImportSource.AST, file, options()))
        .isInstanceOf(CheckpointFormatException.class)
        .hasMessageContaining("missing [blocks.1.attn.qkv.weight]");
  }

  @Test
  void aMisShapedQkvWeightFailsTheImport() throws Exception {
    Map<String, HostTensor> w = official();
    String qkv = w.keySet().stream().filter(k -> k.endsWith("blocks.0.attn.qkv.weight")).findFirst().orElseThrow();
    HostTensor t = w.get(qkv);
    w.put(qkv, HostTensor.ofFloats(java.util.Arrays.copyOf(t.floats(), 64 * 64), 64, 64));
    Path file = write("short-qkv.pth", w);
    assertThatThrownBy(() -> Imports.run(ImportSource.AST, file, options()))
        .isInstanceOf(CheckpointFormatException.class)
        .hasMessageContaining("'blocks.0.attn.qkv.weight' has shape [64, 64]");
  }

  @Test
  void nanWeightsFailTheImportUnlessAllowed() throws Exception {
    Map<String, HostTensor> w = official();
    String fc = w.keySet().stream().filter(k -> k.endsWith("blocks.0.mlp.fc1.weight")).findFirst().orElseThrow();
    float[] values = w.get(fc).floats().clone();
    values[3] = Float.NaN;
    values[7] = Float.POSITIVE_INFINITY;
    w.put(fc, HostTensor.ofFloats(values, w.get(fc).shape()));
    Path file = write("nan.pth", w);
    assertThatThrownBy(() -> Imports.run(ImportSource.AST, file, options()))
        .isInstanceOf(CheckpointFormatException.class)
        .hasMessageContaining("2 weight value(s) are NaN or infinite, first in blocks.0.mlp.fc1.weight (NaN)");
    ImportedModel allowed = Imports.run(ImportSource.AST, file, options().withAllowNonFinite(true));
    assertThat(allowed.weights().get("blocks.0.mlp.fc1.weight").floats()[3]).isNaN();
  }
}
