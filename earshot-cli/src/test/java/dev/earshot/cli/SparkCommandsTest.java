package dev.earshot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.earshot.audio.WavWriter;
import dev.earshot.audio.Waveform;
import dev.earshot.audio.synth.ProceduralDataset;
import dev.earshot.io.Json;
import dev.earshot.io.Npy;
import dev.earshot.io.NpyArray;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code earshot spark} in local mode: {@code spark embed} writes, for every clip of a folder, the embedding
 * {@code earshot embed} writes, bit for bit, and a broken clip becomes a row with its error (exit status 2,
 * like embed's skipped inputs); {@code spark pretrain} on two ranks gives the losses of {@code pretrain
 * --workers 2}.
 */
class SparkCommandsTest {
  @TempDir static Path dir;
  static Path model; // AST fixture: 100-frame (1 s) input
  static Path pool;

  @BeforeAll
  static void setUp() throws Exception {
    Path fixtures = Path.of(SparkCommandsTest.class.getResource("/fixtures/models/cases.json").toURI()).getParent();
    model = dir.resolve("ast");
    CliRunner imp = CliRunner.run("import", "--from", "ast", fixtures.resolve("ast/model.pth").toString(),
        "--out", model.toString(), "--heads", "4", "--frames", "100");
    assertThat(imp.exitCode()).as(imp.err()).isZero();
    new ProceduralDataset(16, 0, 0, 0.5, 9).writeTo(dir.resolve("data"), n -> { });
    pool = dir.resolve("data").resolve("pool");
  }

  @Test
  void sparkEmbedWritesWhatEmbedWritesAndRowsForBrokenClips() throws Exception {
    Path clips = dir.resolve("clips");
    Files.createDirectories(clips);
    try (var files = Files.list(pool)) {
      for (Path p : files.limit(6).toList()) {
        Files.copy(p, clips.resolve(p.getFileName()));
      }
    }
    float[] x = new float[16000 * 3];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (0.3 * Math.sin(2 * Math.PI * (300 + 500 * ((i / 16000.0) % 1)) * i / 16000.0));
    }
    WavWriter.write(clips.resolve("three-seconds.wav"), new Waveform(x, 16000), WavWriter.Coding.PCM16);
    byte[] wav = Files.readAllBytes(clips.resolve("three-seconds.wav"));
    Files.write(clips.resolve("truncated.wav"), java.util.Arrays.copyOf(wav, wav.length / 3));

    Path npy = dir.resolve("emb.npy");
    CliRunner single = CliRunner.run("embed", "--model", model.toString(), clips.toString(), "-o", npy.toString());
    assertThat(single.exitCode()).isEqualTo(2);
    Path out = dir.resolve("emb.parquet");
    CliRunner spark = CliRunner.run("spark", "embed", "--input", clips.toString(), "--model", model.toString(),
        "--out", out.toString(), "--master", "local[2]", "--partitions", "3");
    assertThat(spark.exitCode()).as(spark.out() + spark.err()).isEqualTo(2);
    assertThat(spark.out()).contains("8 clip(s) -> " + out + " (Parquet), 1 with an error");
    assertThat(spark.err()).contains("earshot: skipped ", "truncated.wav");

    NpyArray expected = Npy.read(npy);
    List<String> names = Files.readAllLines(Path.of(npy + ".files.txt"));
    int d = expected.shape()[1];
    float[] flat = expected.toFloats();
    Map<String, Row> rows = new HashMap<>();
    SparkSession session = SparkSession.builder().master("local[1]").config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1").config("spark.ui.enabled", "false").getOrCreate();
    try {
      for (Row r : session.read().parquet(out.toString()).collectAsList()) {
        String path = r.getString(r.fieldIndex("path"));
        rows.put(path.substring(path.lastIndexOf('/') + 1), r);
      }
    } finally {
      session.stop();
    }
    assertThat(rows).hasSize(8);
    for (int i = 0; i < names.size(); i++) {
      Row r = rows.get(Path.of(names.get(i)).getFileName().toString());
      List<Float> got = r.getList(r.fieldIndex("embedding"));
      float[] vector = new float[got.size()];
      for (int k = 0; k < vector.length; k++) {
        vector[k] = got.get(k);
      }
      assertThat(vector).as(names.get(i)).isEqualTo(java.util.Arrays.copyOfRange(flat, i * d, (i + 1) * d));
    }
    Row broken = rows.get("truncated.wav");
    assertThat(broken.getString(broken.fieldIndex("error_kind"))).isEqualTo("TRUNCATED");
    assertThat(broken.isNullAt(broken.fieldIndex("embedding"))).isTrue();

    CliRunner again = CliRunner.run("spark", "embed", "--input", clips.toString(), "--model", model.toString(),
        "--out", out.toString());
    assertThat(again.exitCode()).isEqualTo(2);
    assertThat(again.err()).contains("exists: choose another folder, or --overwrite");
  }

  @Test
  void sparkPretrainOnTwoRanksGivesTheLossesOfTwoWorkerProcesses() throws Exception {
    List<String> common = List.of("--method", "ssast", "--model", "ssast-micro-patch", "--frames", "48", "--steps", "20",
        "--batch-size", "8", "--checkpoint-every", "10", "--dist-timeout", "60");
    List<String> processes = new ArrayList<>(List.of("pretrain", "--data", "unlabeled:" + pool, "--workers", "2",
        "--out", dir.resolve("processes").toString()));
    processes.addAll(common);
    CliRunner two = CliRunner.run(processes.toArray(new String[0]));
    assertThat(two.exitCode()).as(two.err()).isZero();
    List<String> barrier = new ArrayList<>(List.of("spark", "pretrain", "--input", pool.toString(), "--workers", "2",
        "--master", "local[2]", "--out", dir.resolve("barrier").toString()));
    barrier.addAll(common);
    CliRunner spark = CliRunner.run(barrier.toArray(new String[0]));
    assertThat(spark.exitCode()).as(spark.out() + spark.err()).isZero();
    assertThat(spark.out()).contains("global batch over 2 ranks", "done in", "on 16 clips");
    List<String> a = Files.readAllLines(dir.resolve("processes").resolve("metrics.jsonl"));
    List<String> b = Files.readAllLines(dir.resolve("barrier").resolve("metrics.jsonl"));
    assertThat(b).hasSameSizeAs(a).isNotEmpty();
    for (int i = 0; i < a.size(); i++) {
      JsonNode x = Json.tree(a.get(i));
      JsonNode y = Json.tree(b.get(i));
      assertThat(y.get("step").asLong()).isEqualTo(x.get("step").asLong());
      assertThat(y.get("loss").asDouble()).as("loss at step %d", x.get("step").asLong())
          .isCloseTo(x.get("loss").asDouble(), org.assertj.core.data.Offset.offset(1e-5));
    }
    assertThat(dir.resolve("barrier").resolve("model").resolve("model.json")).exists();
  }
}
