package dev.earshot.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.earshot.audio.synth.ProceduralDataset;
import dev.earshot.data.Clip;
import dev.earshot.data.UnlabeledAudio;
import dev.earshot.io.HostTensor;
import dev.earshot.io.Json;
import dev.earshot.io.Safetensors;
import dev.earshot.recipe.Recipes;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pretraining as a Spark barrier stage of two tasks — two ranks in this one JVM (local[2]), meeting through
 * the barrier's allGather — trains like the two-process run of {@code earshot pretrain --workers 2} (two JVMs,
 * one CPU thread each): the same losses at every logged step and the same exported encoder, within the
 * tolerance of the data-parallel test (1e-5).
 */
class SparkPretrainingTest {
  static final double TOLERANCE = 1e-5;

  @TempDir Path dir;

  @Test
  void aBarrierStageOfTwoRanksTrainsLikeTwoWorkerProcesses() throws Exception {
    Path pool = dir.resolve("data").resolve("pool");
    new ProceduralDataset(24, 0, 0, 0.5, 3).writeTo(dir.resolve("data"), n -> { });
    Map<String, Object> overrides = new LinkedHashMap<>();
    overrides.put("frames", 48);
    overrides.put("steps", 20);
    overrides.put("batchSize", 8);
    overrides.put("checkpointEvery", 10);
    overrides.put("logEvery", 2);
    overrides.put("workers", 1);
    Map<String, Object> recipe = Recipes.merge(Recipes.load("ssast-cpu"), overrides);
    Path recipeFile = dir.resolve("recipe.json");
    Files.writeString(recipeFile, Json.line(recipe));

    // the reference: two worker processes on loopback
    int port = freePort();
    List<Process> workers = new ArrayList<>();
    for (int rank = 0; rank < 2; rank++) {
      ProcessBuilder pb = new ProcessBuilder(java(), "-Xmx1g", "-cp", classPath(), PretrainingWorker.class.getName(),
          recipeFile.toString(), pool.toString(), dir.resolve("processes").toString(), Integer.toString(rank), "2",
          Integer.toString(port)).redirectErrorStream(true).redirectOutput(dir.resolve("worker-" + rank + ".log").toFile());
      pb.environment().put("OMP_NUM_THREADS", "1");
      pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
      workers.add(pb.start());
    }

    // the same run as a barrier stage of two tasks in this JVM, over a table of the same clips in the same order
    List<Row> rows = new ArrayList<>();
    for (Clip c : UnlabeledAudio.read(pool).clips()) {
      rows.add(RowFactory.create(c.file().toString()));
    }
    Dataset<Row> table = SharedSpark.session().createDataFrame(rows, new StructType().add("path", DataTypes.StringType));
    Path barrierRun = dir.resolve("barrier");
    SparkPretraining.Result result = SparkPretraining.run(table, "path", recipe, barrierRun.toString(),
        PretrainLaunch.of(2).withTimeout(Duration.ofSeconds(60)));

    for (int rank = 0; rank < 2; rank++) {
      assertThat(workers.get(rank).waitFor(5, TimeUnit.MINUTES)).as("worker %d finished", rank).isTrue();
      assertThat(workers.get(rank).exitValue()).as("worker %d: %s", rank,
          Files.readString(dir.resolve("worker-" + rank + ".log"))).isZero();
    }
    assertThat(result.clips()).isEqualTo(24);
    assertThat(result.lastMetrics()).containsKey("loss");
    assertThat(result.resumed()).isFalse();
    assertThat(Path.of(result.modelDir()).resolve("model.json")).exists();

    List<JsonNode> spark = metrics(barrierRun);
    List<JsonNode> processes = metrics(dir.resolve("processes"));
    assertThat(spark).hasSize(processes.size()).hasSize(10);
    double worstLoss = 0;
    for (int i = 0; i < spark.size(); i++) {
      assertThat(spark.get(i).get("step").asLong()).isEqualTo(processes.get(i).get("step").asLong());
      worstLoss = Math.max(worstLoss, Math.abs(spark.get(i).get("loss").asDouble() - processes.get(i).get("loss").asDouble()));
    }
    double worstWeight = maxDiff(barrierRun.resolve("model/weights.safetensors"),
        dir.resolve("processes/model/weights.safetensors"));
    System.out.printf(Locale.ROOT, "barrier stage vs two processes: |loss diff| %.1e over %d logged steps, "
        + "|weight diff| %.1e%n", worstLoss, spark.size(), worstWeight);
    assertThat(worstLoss).isLessThanOrEqualTo(TOLERANCE);
    assertThat(worstWeight).isLessThanOrEqualTo(TOLERANCE);
    assertThat(barrierRun.resolve("checkpoint")).exists();
  }

  private static List<JsonNode> metrics(Path run) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
      if (!line.isBlank()) {
        out.add(Json.tree(line));
      }
    }
    return out;
  }

  private static double maxDiff(Path a, Path b) {
    Map<String, HostTensor> x = Safetensors.read(a).tensors();
    Map<String, HostTensor> y = Safetensors.read(b).tensors();
    assertThat(y.keySet()).isEqualTo(x.keySet());
    double worst = 0;
    for (String k : x.keySet()) {
      float[] p = x.get(k).asFloats();
      float[] q = y.get(k).asFloats();
      for (int i = 0; i < p.length; i++) {
        worst = Math.max(worst, Math.abs(p[i] - q[i]));
      }
    }
    return worst;
  }

  static String java() {
    return ProcessHandle.current().info().command().orElse("java");
  }

  static String classPath() {
    return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
