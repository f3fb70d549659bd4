package dev.earshot.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.earshot.io.Npy;
import dev.earshot.io.NpyArray;
import dev.earshot.model.AudioTransformer;
import dev.earshot.nn.StateDict;
import dev.earshot.tensor.Autocast;
import dev.earshot.tensor.Device;
import dev.earshot.tensor.Precision;
import dev.earshot.tensor.Shape;
import dev.earshot.tensor.Tensor;
import dev.earshot.tensor.TensorScope;
import dev.earshot.testing.Fixtures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * How far bf16 autocast moves the model outputs of the parity cases away from the official code's float32
 * outputs: the deviation is measured on every imported encoder and classifier (SSAST, AST, EAT, both
 * Hugging Face ports) and must stay within a stated bound, so that a regression to fp16-like error or a
 * silently ignored autocast shows. The numbers are printed and recorded in docs/PARITY.md.
 */
class Bf16ParityTest {
  /** Largest |bf16 - reference| over the largest |reference| of one output, for every case. */
  static final double RELATIVE_BOUND = 0.02;

  @Test
  void bf16OutputsStayCloseToTheOfficialFloat32Outputs() {
    assumeTrue(Autocast.cpuHasBf16(), "this CPU has no native bf16");
    JsonNode cases = Fixtures.json("/fixtures/models/cases.json").get("cases");
    List<String> report = new ArrayList<>();
    double worst = 0;
    int checked = 0;
    try (TensorScope scope = TensorScope.newBaseScope()) {
      for (JsonNode c : cases) {
        String output = c.has("logits") ? "logits" : c.has("features") ? "features"
            : c.has("hidden") && !c.has("logits_mean") ? "hidden" : null;
        if (output == null || !c.has("checkpoint")) {
          continue;
        }
        String name = c.get("name").asText();
        Path dir = Fixtures.path("/fixtures/models/" + name);
        Path checkpoint = dir.resolve(c.get("checkpoint").asText()).normalize();
        JsonNode ctor = c.get("constructor");
        JsonNode heads = ctor != null && ctor.has("num_heads") ? ctor.get("num_heads")
            : c.has("config") ? c.get("config").get("heads") : null;
        ImportOptions options = heads == null ? ImportOptions.defaults() : ImportOptions.defaults().withHeads(heads.asInt());
        if (name.equals("ast")) {
          options = options.withGeometry(ctor.get("input_tdim").asInt(), ctor.get("tstride").asInt(),
              ctor.get("fstride").asInt());
        }
        NpyArray in = Npy.read(dir.resolve(c.get("input").asText()).normalize());
        float[] expected = Npy.read(dir.resolve(c.get(output).asText()).normalize()).toFloats();
        try (TensorScope step = scope.newSubScope()) {
          ImportedModel imported = Imports.run(ImportSource.parse(c.get("source").asText()), checkpoint, options);
          AudioTransformer model = new AudioTransformer(step, imported.config(), 0);
          StateDict.load(model, imported.weights(), checkpoint);
          model.setTraining(false);
          Tensor x = step.create(in.toFloats(), new Shape(in.shape()[0], in.shape()[1], in.shape()[2]));
          float[] actual;
          try (Autocast bf16 = Autocast.of(Device.CPU, Precision.BF16)) {
            Tensor out = output.equals("logits") ? model.forward(x) : model.encode(model.embed(x), null);
            assertThat(out.getDataType().isFloatingPoint()).isTrue();
            actual = out.toFloatArray();
          }
          double maxDiff = 0;
          double maxRef = 0;
          for (int i = 0; i < expected.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(actual[i] - expected[i]));
            maxRef = Math.max(maxRef, Math.abs(expected[i]));
          }
          double relative = maxDiff / maxRef;
          worst = Math.max(worst, relative);
          checked++;
          report.add(String.format(Locale.ROOT, "%-16s %-8s max|diff| %.3e, max|ref| %.3e, relative %.3e", name, output,
              maxDiff, maxRef, relative));
          assertThat(relative).as(name + " " + output + " under bf16").isLessThan(RELATIVE_BOUND);
          assertThat(maxDiff).as(name + ": bf16 must actually change the arithmetic").isGreaterThan(1e-5);
        }
      }
    }
    System.out.printf(Locale.ROOT, "bf16 parity: worst relative deviation %.3e over %d cases%n", worst, checked);
    report.forEach(r -> System.out.println("  " + r));
    assertThat(checked).isEqualTo(7);
  }
}
