package dev.earshot.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.earshot.audio.WavWriter;
import dev.earshot.audio.synth.ProceduralDataset;
import dev.earshot.features.FrontEnd;
import dev.earshot.features.WindowSpec;
import dev.earshot.infer.Aggregation;
import dev.earshot.infer.AudioClassifier;
import dev.earshot.infer.AudioEmbedder;
import dev.earshot.infer.Prediction;
import dev.earshot.infer.TimeSteps;
import dev.earshot.infer.WindowValues;
import dev.earshot.infer.WindowedResult;
import dev.earshot.testing.Fixtures;
import dev.earshot.testing.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * embed, classify and fbank on a local[2] session over generated audio (short clips, clips of several windows,
 * stereo 44.1 kHz, an MP3) and broken files: every good clip's result equals the single-process API's (what
 * {@code earshot embed|classify|fbank} compute) bit for bit, from paths and from {@code binaryFile} contents,
 * after a round trip through Parquet; each broken clip is a row with its error and the job succeeds; the model
 * is loaded once for all tasks of the JVM.
 */
class SparkInferenceTest {
  @TempDir static Path dir;
  static Path model;
  static Path audio;
  static List<String> good = new ArrayList<>();
  static Map<String, String> broken = new HashMap<>(); // file name -> expected error kind
  static SparkSession spark;

  @BeforeAll
  static void data() throws Exception {
    spark = SharedSpark.session();
    model = TestModels.ast(dir.resolve("ast")); // 100-frame (1 s) input, 7 classes, softmax
    audio = dir.resolve("audio");
    new ProceduralDataset(6, 0, 0, 0.5, 11).writeTo(audio, n -> { });
    Path pool = audio.resolve("pool");
    WavWriter.write(pool.resolve("long_22k.wav"), new float[][] {sweep(3.3, 22050, 1)}, 22050, WavWriter.Coding.PCM16);
    WavWriter.write(pool.resolve("stereo_44k.wav"), new float[][] {sweep(2.2, 44100, 2), sweep(2.2, 44100, 3)}, 44100,
        WavWriter.Coding.FLOAT32);
    Files.copy(Fixtures.path("/fixtures/codecs/mono_16k.mp3"), pool.resolve("mono_16k.mp3"));
    try (var files = Files.list(pool)) {
      files.map(p -> p.getFileName().toString()).sorted().forEach(good::add);
    }
    byte[] wav = Files.readAllBytes(pool.resolve("long_22k.wav"));
    Files.write(pool.resolve("truncated.wav"), java.util.Arrays.copyOf(wav, wav.length / 2));
    broken.put("truncated.wav", "TRUNCATED");
    Files.write(pool.resolve("empty.wav"), new byte[0]);
    broken.put("empty.wav", "EMPTY");
    WavWriter.write(pool.resolve("tiny.wav"), new float[][] {new float[100]}, 16000, WavWriter.Coding.PCM16);
    broken.put("tiny.wav", "TOO_SHORT");
    byte[] noise = new byte[3000];
    new Random(5).nextBytes(noise);
    Files.write(pool.resolve("noise.mp3"), noise);
    broken.put("noise.mp3", null); // rejected by FFmpeg: the kind depends on what it makes of the bytes
  }

  /** A sweep rising again every 0.7 s, so that the windows of a clip differ. */
  private static float[] sweep(double seconds, int rate, long seed) {
    Random r = new Random(seed);
    float[] x = new float[(int) (seconds * rate)];
    for (int i = 0; i < x.length; i++) {
      double t = i / (double) rate;
      x[i] = (float) (0.3 * Math.sin(2 * Math.PI * (200 + 900 * ((t / 0.7) % 1.0)) * t) + 0.01 * r.nextGaussian());
    }
    return x;
  }

  /** A table of paths: plain local paths and file: URIs, the missing file too, in four partitions. */
  private static Dataset<Row> pathTable() {
    List<Row> rows = new ArrayList<>();
    Path pool = audio.resolve("pool");
    int i = 0;
    for (String name : good) {
      Path p = pool.resolve(name);
      rows.add(RowFactory.create(i++, i % 2 == 0 ? p.toString() : p.toUri().toString()));
    }
    for (String name : broken.keySet()) {
      rows.add(RowFactory.create(i++, pool.resolve(name).toString()));
    }
    rows.add(RowFactory.create(i, pool.resolve("missing.wav").toString()));
    StructType schema = new StructType().add("id", DataTypes.IntegerType).add("path", DataTypes.StringType);
    return spark.createDataFrame(rows, schema).repartition(4);
  }

  private static String fileName(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  /** Writes a result to Parquet and reads it back, keyed by file name. */
  private static Map<String, Row> throughParquet(Dataset<Row> result, String name) {
    String out = dir.resolve(name).toString();
    result.write().parquet(out);
    Map<String, Row> rows = new HashMap<>();
    for (Row r : spark.read().parquet(out).collectAsList()) {
      rows.put(fileName(r.getString(r.fieldIndex("path"))), r);
    }
    return rows;
  }

  private static float[] floats(Row row, String column) {
    return floats(row.get(row.fieldIndex(column)));
  }

  /** An array column's value (a Scala sequence, or a Java list from {@code Row.getList}) as floats. */
  @SuppressWarnings("unchecked")
  static float[] floats(Object array) {
    List<Float> list = array instanceof List<?> l ? (List<Float>) l
        : scala.jdk.javaapi.CollectionConverters.asJava((scala.collection.Seq<Float>) array);
    float[] out = new float[list.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = list.get(i);
    }
    return out;
  }

  private static void assertBroken(Map<String, Row> rows, boolean fromPaths) {
    for (Map.Entry<String, String> b : broken.entrySet()) {
      if (!fromPaths && b.getKey().equals("empty.wav")) {
        continue;
      }
      Row r = rows.get(b.getKey());
      assertThat(r).as(b.getKey()).isNotNull();
      assertThat(r.getString(r.fieldIndex("error"))).as(b.getKey()).contains(b.getKey());
      if (b.getValue() != null) {
        assertThat(r.getString(r.fieldIndex("error_kind"))).as(b.getKey()).isEqualTo(b.getValue());
      }
    }
    if (fromPaths) {
      Row missing = rows.get("missing.wav");
      assertThat(missing.getString(missing.fieldIndex("error_kind"))).isEqualTo("NOT_FOUND");
      assertThat(missing.getString(missing.fieldIndex("error"))).contains("missing.wav");
    }
  }

  @Test
  void clipEmbeddingsEqualTheSingleProcessApiFromPathsAndFromContents() {
    EmbedOptions options = EmbedOptions.defaults().withWindows(true);
    Map<String, Row> fromPaths = throughParquet(EarshotSpark.embed(pathTable(), "path", model.toString(), options),
        "embed-paths");
    Map<String, Row> fromBytes = throughParquet(EarshotSpark.embed(
        EarshotSpark.audioFiles(spark, audio.resolve("pool").toString()).repartition(3), "content", model.toString(),
        options), "embed-bytes");
    assertThat(fromPaths).hasSize(good.size() + broken.size() + 1);
    assertThat(fromBytes).hasSize(good.size() + broken.size() - 1); // Spark's binaryFile skips empty files
    assertThat(fromPaths.get(good.get(0)).schema().fieldNames()).containsExactly("id", "path", "duration_s",
        "cropped", "window_count", "embedding", "windows", "error", "error_kind");
    int multiWindow = 0;
    try (AudioEmbedder embedder = AudioEmbedder.open(model)) {
      for (String name : good) {
        WindowedResult expected = embedder.embedWindows(audio.resolve("pool").resolve(name), embedder.defaultWindows(),
            Aggregation.MEAN);
        for (Row r : List.of(fromPaths.get(name), fromBytes.get(name))) {
          assertThat(r.isNullAt(r.fieldIndex("error"))).as(name + ": " + r).isTrue();
          assertThat(floats(r, "embedding")).as(name).isEqualTo(expected.aggregate());
          assertThat(r.getDouble(r.fieldIndex("duration_s"))).isEqualTo(expected.durationSeconds());
          List<Row> windows = r.getList(r.fieldIndex("windows"));
          assertThat(windows).hasSize(expected.windows().size());
          for (int k = 0; k < windows.size(); k++) {
            WindowValues w = expected.windows().get(k);
            assertThat(windows.get(k).getDouble(1)).isEqualTo(w.startSeconds());
            assertThat(floats(windows.get(k), "embedding")).isEqualTo(w.values());
          }
        }
        multiWindow += expected.windows().size() > 1 ? 1 : 0;
      }
    }
    assertThat(multiWindow).as("clips of several windows").isGreaterThanOrEqualTo(2);
    assertBroken(fromPaths, true);
    assertBroken(fromBytes, false);
  }

  @Test
  void allTasksOfTheJvmShareOneLoadedModel() {
    int before = ExecutorModels.loads();
    Dataset<Row> table = pathTable().repartition(8);
    long rows = EarshotSpark.embed(table, "path", model.toString(), EmbedOptions.defaults().withCompute(
        Compute.CPU.withBatchSize(7))).where("error is null").count();
    assertThat(rows).isEqualTo(good.size());
    assertThat(ExecutorModels.loads() - before).as("models loaded by 8 tasks on 2 threads").isEqualTo(1);
    assertThat(ExecutorModels.loaded()).isLessThanOrEqualTo(ExecutorModels.CAPACITY);
  }

  @Test
  void timeStepEmbeddingsCarryTimestampsAndEqualTheApi() {
    Map<String, Row> rows = throughParquet(EarshotSpark.embed(pathTable(), "path", model.toString(),
        EmbedOptions.defaults().withTimeSteps(true)), "steps");
    try (AudioEmbedder embedder = AudioEmbedder.open(model)) {
      for (String name : good) {
        TimeSteps expected = embedder.embedTimeSteps(audio.resolve("pool").resolve(name), embedder.defaultWindows());
        Row r = rows.get(name);
        List<Double> ms = r.getList(r.fieldIndex("timestamps_ms"));
        assertThat(ms).hasSize(expected.timestampsMs().length);
        for (int i = 0; i < ms.size(); i++) {
          assertThat(ms.get(i)).isEqualTo(expected.timestampsMs()[i]);
        }
        List<Object> steps = r.getList(r.fieldIndex("embeddings"));
        assertThat(steps).hasSize(expected.embeddings().length);
        for (int i = 0; i < steps.size(); i++) {
          assertThat(floats(steps.get(i))).as("%s step %d", name, i).isEqualTo(expected.embeddings()[i]);
        }
      }
    }
    assertBroken(rows, true);
  }

  /**
   * Classification with batches of one window on both sides: the classifier head's matrix product has one row
   * per window of the batch, and the CPU kernel libtorch picks from 4 rows on rounds the last bit of a logit
   * differently (measured: 6e-8), so with micro-batching the last bit depends on which windows shared a batch
   * — in two runs of {@code earshot classify} as well. Batches of one make both sides deterministic; with
   * the default batching the scores agree within that rounding.
   */
  @Test
  void classificationTopKAndAllScoresEqualTheApi() {
    Compute oneByOne = Compute.CPU.withBatchSize(1);
    Windowing max = new Windowing(0.5, 0.25, false, Aggregation.MAX);
    Map<String, Row> top = throughParquet(EarshotSpark.classify(pathTable(), "path", model.toString(),
        ClassifyOptions.defaults().withTopK(3).withWindowing(max).withCompute(oneByOne)), "top3");
    Dataset<Row> all = EarshotSpark.classify(pathTable(), "path", model.toString(),
        ClassifyOptions.defaults().withAllScores().withWindows(true).withCompute(oneByOne));
    assertThat(all.schema().apply("scores").metadata().contains("labels")).isTrue();
    Map<String, Row> scores = throughParquet(all, "all");
    Map<String, Row> batched = throughParquet(EarshotSpark.classify(pathTable(), "path", model.toString(),
        ClassifyOptions.defaults().withAllScores()), "all-batched");
    double worstBatched = 0;
    try (AudioClassifier classifier = AudioClassifier.open(model, 1)) {
      for (String name : good) {
        Path file = audio.resolve("pool").resolve(name);
        WindowSpec halfSecond = WindowSpec.seconds(0.5, 0.25, classifier.spec().fbank());
        List<Prediction> expectedTop = classifier.top(
            classifier.classifyWindows(file, halfSecond, Aggregation.MAX).aggregate(), 3);
        List<Row> got = top.get(name).getList(top.get(name).fieldIndex("predictions"));
        assertThat(got).hasSize(3);
        for (int k = 0; k < 3; k++) {
          assertThat(got.get(k).getInt(0)).isEqualTo(expectedTop.get(k).index());
          assertThat(got.get(k).getString(1)).isEqualTo(expectedTop.get(k).label());
          assertThat(got.get(k).getFloat(2)).isEqualTo(expectedTop.get(k).score());
        }
        WindowedResult expected = classifier.classifyWindows(file, classifier.defaultWindows(), Aggregation.MEAN);
        Row r = scores.get(name);
        assertThat(floats(r, "scores")).as(name).isEqualTo(expected.aggregate());
        List<Row> windows = r.getList(r.fieldIndex("windows"));
        assertThat(windows).hasSize(expected.windows().size());
        for (int k = 0; k < windows.size(); k++) {
          assertThat(floats(windows.get(k), "scores")).isEqualTo(expected.windows().get(k).values());
        }
        worstBatched = Math.max(worstBatched,
            dev.earshot.testing.MaxAbsDiff.of(floats(batched.get(name), "scores"), expected.aggregate()));
      }
    }
    assertThat(worstBatched).as("micro-batched scores").isLessThan(1e-6);
    assertBroken(top, true);
    assertBroken(scores, true);
  }

  @Test
  void filterbanksEqualTheFrontEnd() throws Exception {
    FrontEnd modelReady = EarshotSpark.modelFrontEnd(spark, model.toString());
    FrontEnd plain = new FrontEnd(modelReady.loader(), modelReady.fbank(), dev.earshot.features.Normalization.IDENTITY,
        0);
    for (FrontEnd frontEnd : List.of(modelReady, plain)) {
      Map<String, Row> rows = throughParquet(EarshotSpark.fbank(pathTable(), "path", frontEnd),
          "fbank-" + frontEnd.targetFrames());
      for (String name : good) {
        float[][] expected = frontEnd.process(audio.resolve("pool").resolve(name));
        Row r = rows.get(name);
        assertThat(r.getInt(r.fieldIndex("frames"))).isEqualTo(expected.length);
        List<Object> features = r.getList(r.fieldIndex("features"));
        for (int t = 0; t < expected.length; t++) {
          assertThat(floats(features.get(t))).as("%s frame %d", name, t).isEqualTo(expected[t]);
        }
      }
      assertBroken(rows, true);
    }
  }
}
