package dev.earshot.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.earshot.tensor.Tensor;
import dev.earshot.tensor.TensorScope;
import dev.earshot.tensor.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import dev.earshot.io.Npy;
import dev.earshot.io.NpyArray;
import dev.earshot.model.AudioTransformer;
import dev.earshot.model.Pooling;
import dev.earshot.nn.StateDict;
import dev.earshot.testing.Fixtures;
import dev.earshot.testing.MaxAbsDiff;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Imported checkpoints reproduce the official SSAST, AST and EAT code (fixtures from
 * tools/fixtures/gen_models.py: random init, reduced width 64 and depth 2, 4 heads).
 */
class ModelParityTest {
  static final double TOLERANCE = 1e-4;
  private static final String ROOT = "/fixtures/models/";
  /**
   * Set {@code -Dearshot.parity.root=DIR} to run the same checks on fixtures written elsewhere, e.g. the
   * full-size ones from {@code GEN_MODELS_SIZE=base tools/fixtures/gen_models.py DIR} (see docs/PARITY.md).
   */
  private static final String EXTERNAL = System.getProperty("earshot.parity.root", "");
  private static TensorScope manager;
  private static double worst;
  private static final List<String> report = new ArrayList<>();

  @BeforeAll
  static void engine() {
    manager = TensorScope.newBaseScope();
  }

  @AfterAll
  static void close() {
    manager.close();
    System.out.printf("model parity: worst max|diff| %.3g over %d comparisons%n", worst, report.size());
    report.forEach(r -> System.out.println("  " + r));
  }

  @TestFactory
  List<DynamicTest> importedModelsMatchTheOfficialCode() {
    JsonNode cases = readManifest().get("cases");
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode c : cases) {
      if (c.has("losses") || !c.has("checkpoint")) {
        continue; // training steps and mask statistics: SsastPretrainingParityTest, EatPretrainingParityTest, ...
      }
      tests.add(DynamicTest.dynamicTest(c.get("name").asText(), () -> check(c)));
    }
    assertThat(tests).hasSize(10);
    return tests;
  }

  private static JsonNode readManifest() {
    if (EXTERNAL.isEmpty()) {
      return Fixtures.json(ROOT + "cases.json");
    }
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().readTree(Path.of(EXTERNAL, "cases.json").toFile());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static Path caseDir(String name) {
    return EXTERNAL.isEmpty() ? Fixtures.path(ROOT + name) : Path.of(EXTERNAL, name);
  }

  private static void check(JsonNode c) {
    String name = c.get("name").asText();
    Path dir = caseDir(name);
    ImportSource source = ImportSource.parse(c.get("source").asText());
    Path checkpoint = dir.resolve(c.get("checkpoint").asText()).normalize();
    float[][][] input = tensor3(dir.resolve(c.get("input").asText()).normalize());
    JsonNode ctor = c.get("constructor");
    JsonNode heads = ctor != null && ctor.has("num_heads") ? ctor.get("num_heads")
        : c.has("config") ? c.get("config").get("heads") : null;
    ImportOptions options = heads == null ? ImportOptions.defaults() : ImportOptions.defaults().withHeads(heads.asInt());
    if (ctor != null && ctor.has("tstride") && name.contains("_ft_") || name.equals("ast")) {
      options = options.withGeometry(ctor.get("input_tdim").asInt(), ctor.get("tstride").asInt(),
          ctor.get("fstride").asInt());
    }
    try (TensorScope step = manager.newSubScope()) {
      Tensor x = step.create(flatten(input), new Shape(input.length, input[0].length, input[0][0].length));
      if (c.has("logits_mean")) { // SSAST fine-tuned: both pooling modes from the fine-tuned file
        for (Pooling pooling : new Pooling[] {Pooling.MEAN_PATCHES, Pooling.CLS_DIST_MEAN}) {
          AudioTransformer model = build(step, source, checkpoint, withPooling(options, pooling));
          String ref = pooling == Pooling.MEAN_PATCHES ? "logits_mean" : "logits_cls_dist";
          compare(name + " " + ref, model.forward(x), dir.resolve(c.get(ref).asText()));
        }
        // the pretrained parent, adapted by earshot to this geometry, equals the official adaptation
        Path parent = caseDir(c.get("pretrained").asText()).resolve("model.pth");
        ImportedModel adapted = Imports.run(source, parent, options);
        NpyArray pos = Npy.read(dir.resolve(c.get("pos_embed_adapted").asText()));
        compare(name + " pos_embed adapted from the pretrained file", adapted.weights().get("pos_embed").floats(),
            pos.toFloats());
        AudioTransformer fromParent = new AudioTransformer(step, adapted.config(), 0);
        StateDict.load(fromParent, adapted.weights(), parent);
        compare(name + " encoder (adapted parent)", fromParent.features(x), dir.resolve(c.get("hidden").asText()));
      }
      if (c.has("hidden") && !c.has("logits_mean")) { // SSAST pretrained encoders
        List<Tensor> hidden = new ArrayList<>();
        AudioTransformer model = build(step, source, checkpoint, options);
        Tensor out = model.encode(model.embed(x), hidden);
        compare(name + " encoder output", out, dir.resolve(c.get("hidden").asText()));
        compare(name + " block outputs", Tensor.stack(hidden.subList(1, hidden.size()), 0), dir.resolve(c.get("blocks").asText()));
        compare(name + " mean pooling", model.pool(out), dir.resolve(c.get("pooled_mean").asText()));
        AudioTransformer cls = build(step, source, checkpoint, withPooling(options, Pooling.CLS_DIST_MEAN));
        compare(name + " cls+dist pooling", cls.pool(cls.features(x)), dir.resolve(c.get("pooled_cls_dist").asText()));
      }
      if (c.has("features")) { // EAT pretraining encoder
        AudioTransformer model = build(step, source, checkpoint, options);
        List<Tensor> hidden = new ArrayList<>();
        Tensor out = model.encode(model.embed(x), hidden);
        compare(name + " features (CLS + frames)", out, dir.resolve(c.get("features").asText()));
        compare(name + " utterance (CLS)", model.pool(out), dir.resolve(c.get("utterance").asText()));
        compare(name + " block outputs", Tensor.stack(hidden.subList(1, hidden.size()), 0), dir.resolve(c.get("blocks").asText()));
      }
      if (c.has("logits") ) {
        AudioTransformer model = build(step, source, checkpoint, options);
        compare(name + " logits", model.forward(x), dir.resolve(c.get("logits").asText()).normalize());
      }
    }
  }

  private static ImportOptions withPooling(ImportOptions o, Pooling p) {
    return new ImportOptions(o.frames(), o.strideFrames(), o.strideBins(), o.heads(), p, o.labels(), o.activation(),
        o.normalization(), o.teacher());
  }

  private static AudioTransformer build(TensorScope m, ImportSource source, Path file, ImportOptions options) {
    ImportedModel imported = Imports.run(source, file, options);
    AudioTransformer model = new AudioTransformer(m, imported.config(), 0);
    StateDict.load(model, imported.weights(), file);
    model.setTraining(false);
    return model;
  }

  private static void compare(String what, Tensor actual, Path expectedFile) {
    compare(what, actual.toFloatArray(), Npy.read(expectedFile).toFloats());
  }

  private static void compare(String what, float[] actual, float[] expected) {
    double diff = MaxAbsDiff.of(actual, expected);
    worst = Math.max(worst, diff);
    report.add(String.format("%-55s %.2e", what, diff));
    assertThat(diff).as(what).isLessThanOrEqualTo(TOLERANCE);
  }

  private static float[][][] tensor3(Path file) {
    NpyArray a = Npy.read(file);
    int b = a.shape()[0];
    int t = a.shape()[1];
    int f = a.shape()[2];
    float[] flat = a.toFloats();
    float[][][] out = new float[b][t][f];
    for (int i = 0; i < b; i++) {
      for (int j = 0; j < t; j++) {
        System.arraycopy(flat, (i * t + j) * f, out[i][j], 0, f);
      }
    }
    return out;
  }

  private static float[] flatten(float[][][] x) {
    float[] out = new float[x.length * x[0].length * x[0][0].length];
    int k = 0;
    for (float[][] a : x) {
      for (float[] b : a) {
        System.arraycopy(b, 0, out, k, b.length);
        k += b.length;
      }
    }
    return out;
  }
}
