package dev.earshot.infer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.earshot.EarshotException;
import dev.earshot.interop.ImportOptions;
import dev.earshot.interop.ImportSource;
import dev.earshot.interop.Imports;
import dev.earshot.io.Npy;
import dev.earshot.io.NpyArray;
import dev.earshot.model.TokenOrder;
import dev.earshot.testing.Fixtures;
import dev.earshot.testing.MaxAbsDiff;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedder and classifier on imported fixture models: same numbers as the official code, concurrently. */
class InferenceApiTest {
  @TempDir static Path dir;
  static Path ast;
  static Path eat;

  @BeforeAll
  static void importModels() throws Exception {
    ast = dir.resolve("ast");
    Imports.run(ImportSource.AST, Fixtures.path("/fixtures/models/ast/model.pth"),
        ImportOptions.defaults().withHeads(4).withGeometry(100, 10, 10)).writeTo(ast);
    eat = dir.resolve("eat");
    Imports.run(ImportSource.EAT, Fixtures.path("/fixtures/models/eat_finetune/checkpoint.pt"),
        ImportOptions.defaults()).writeTo(eat);
  }

  private static List<float[][]> inputs(String file) {
    NpyArray a = Npy.read(Fixtures.path(file));
    int[] s = a.shape();
    float[] flat = a.toFloats();
    List<float[][]> out = new ArrayList<>();
    for (int b = 0; b < s[0]; b++) {
      float[][] m = new float[s[1]][s[2]];
      for (int t = 0; t < s[1]; t++) {
        System.arraycopy(flat, (b * s[1] + t) * s[2], m[t], 0, s[2]);
      }
      out.add(m);
    }
    return out;
  }

  @Test
  void classifierReproducesOfficialLogitsAndScores() {
    List<float[][]> x = inputs("/fixtures/models/ast/input.npy");
    float[] expected = Npy.read(Fixtures.path("/fixtures/models/ast/logits.npy")).toFloats();
    try (AudioClassifier c = AudioClassifier.open(ast)) {
      List<float[]> logits = c.logitsAll(x);
      for (int i = 0; i < logits.size(); i++) {
        float[] row = java.util.Arrays.copyOfRange(expected, i * 7, (i + 1) * 7);
        assertThat(MaxAbsDiff.of(logits.get(i), row)).isLessThan(1e-4);
      }
      float[] scores = c.scores(logits.get(0));
      double sum = 0;
      for (float s : scores) {
        sum += s;
      }
      assertThat(sum).isCloseTo(1.0, within(1e-5));
      List<Prediction> top = c.classifyFeatures(x.get(0), 3);
      assertThat(top).hasSize(3);
      assertThat(top.get(0).score()).isGreaterThanOrEqualTo(top.get(1).score());
      assertThat(top.get(0).label()).startsWith("class ");
    }
  }

  @Test
  void concurrentCallersGetTheSameAnswersAsOneCaller() throws Exception {
    List<float[][]> x = inputs("/fixtures/models/eat_pretrain/input.npy");
    try (AudioEmbedder e = AudioEmbedder.open(eat, -1, 8)) {
      float[] a = e.embedFeatures(x.get(0));
      float[] b = e.embedFeatures(x.get(1));
      ExecutorService pool = Executors.newFixedThreadPool(6);
      List<Future<float[]>> futures = new ArrayList<>();
      for (int i = 0; i < 48; i++) {
        float[][] in = x.get(i % 2);
        futures.add(pool.submit(() -> e.embedFeatures(in)));
      }
      for (int i = 0; i < futures.size(); i++) {
        assertThat(MaxAbsDiff.of(futures.get(i).get(), i % 2 == 0 ? a : b)).isLessThan(1e-5);
      }
      pool.shutdown();
      // CLS of the pretraining fixture equals the official utterance embedding (same encoder weights)
      float[] utterance = Npy.read(Fixtures.path("/fixtures/models/eat_pretrain/utterance.npy")).toFloats();
      assertThat(MaxAbsDiff.of(a, java.util.Arrays.copyOfRange(utterance, 0, 64))).isLessThan(1e-4);
    }
  }

  @Test
  void tokensLayersAndErrors() {
    List<float[][]> x = inputs("/fixtures/models/eat_pretrain/input.npy");
    float[] blocks = Npy.read(Fixtures.path("/fixtures/models/eat_pretrain/blocks.npy")).toFloats(); // (2,B,N+1,D)
    try (AudioEmbedder e = AudioEmbedder.open(eat, 1, 4)) {
      TokenEmbeddings t = e.embedTokensOfFeatures(x.get(0));
      assertThat(t.timePatches()).isEqualTo(4);
      assertThat(t.freqPatches()).isEqualTo(8);
      assertThat(t.order()).isEqualTo(TokenOrder.TIME_MAJOR);
      assertThat(t.tokens()).hasNumberOfRows(32);
      assertThat(t.perTimeStep()).hasNumberOfRows(4);
      assertThat(t.secondsPerTimePatch()).isCloseTo(0.16, within(1e-9));
      // layer 1 = output of block 1; token 0 of the patches is row 1 of the sequence
      float[] expected = java.util.Arrays.copyOfRange(blocks, 64, 128);
      assertThat(MaxAbsDiff.of(t.tokens()[0], expected)).isLessThan(1e-4);
    }
    assertThatThrownBy(() -> {
      try (AudioEmbedder e = AudioEmbedder.open(eat, 7, 4)) {
        e.embedFeatures(x.get(0));
      }
    }).isInstanceOf(EarshotException.class).hasMessageContaining("layer 7 does not exist");
    assertThatThrownBy(() -> AudioEmbedder.open(dir.resolve("nothing"))).hasMessageContaining("not a model directory");
  }
}
