package dev.earshot.spark;

import dev.earshot.audio.AudioFile;
import dev.earshot.features.FrontEnd;
import dev.earshot.model.ModelDirectory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * earshot over Spark DataFrames of audio: filterbanks, embeddings and class scores for every row, computed by
 * the executors with the same code and numbers as {@code earshot fbank|embed|classify}.
 *
 * <pre>{@code
 * Dataset<Row> clips = EarshotSpark.audioPaths(spark, "s3a://bucket/clips/");        // one row per file: path
 * EarshotSpark.embed(clips, "path", "s3a://bucket/models/eat-base", EmbedOptions.defaults())
 *     .write().parquet("s3a://bucket/embeddings/");
 * Dataset<Row> files = EarshotSpark.audioFiles(spark, "/data/uploads");               // binaryFile: path, ..., content
 * EarshotSpark.classify(files, "content", "/models/ast-audioset", ClassifyOptions.defaults().withTopK(3))
 *     .write().parquet("/out/tags");
 * }</pre>
 *
 * <p>The audio column holds paths (strings: local paths, {@code file:} URIs or any Hadoop file system's URIs)
 * or file contents (binary, as the {@code binaryFile} source gives them). The result keeps the table's other
 * columns (binary ones are dropped), adds the job's columns and ends with {@code error} (null, or why the clip
 * could not be analysed — the row is kept, the job goes on) and {@code error_kind} ({@code NOT_FOUND},
 * {@code CORRUPT}, {@code TRUNCATED}, {@code TOO_SHORT}, ...).
 *
 * <p>Each executor JVM loads a model once, on the first task that needs it, and shares it between its task
 * threads; every task holds one clip at a time. The model folder is a local path every executor sees, or a
 * folder on a Hadoop file system that each executor copies once into its temporary folder.
 */
public final class EarshotSpark {
  private EarshotSpark() {}

  /**
   * Embeddings of every clip: {@code duration_s}, {@code cropped}, {@code window_count}, {@code embedding}
   * (D floats; with {@link EmbedOptions#windows()} also {@code windows}: index, start_s, end_s, embedding), or
   * with {@link EmbedOptions#timeSteps()} {@code cropped}, {@code timestamps_ms} (steps) and {@code embeddings}
   * (steps x D).
   */
  public static Dataset<Row> embed(Dataset<Row> table, String audioColumn, String modelDir, EmbedOptions options) {
    ModelLocation.manifest(modelDir, hadoop(table)); // a wrong folder fails here, on the driver
    return run(table, audioColumn, new EmbedJob(modelDir, options));
  }

  /**
   * Class scores of every clip: {@code duration_s}, {@code cropped}, {@code window_count} and
   * {@code predictions} (the top k: index, label, score; best first) or, with all scores, {@code scores} (one per
   * class in label order; the labels are the column's metadata {@code labels}); with
   * {@link ClassifyOptions#windows()} also {@code windows} (index, start_s, end_s and the window's answer).
   */
  public static Dataset<Row> classify(Dataset<Row> table, String audioColumn, String modelDir,
      ClassifyOptions options) {
    ModelDirectory.Manifest manifest = ModelLocation.manifest(modelDir, hadoop(table));
    return run(table, audioColumn, new ClassifyJob(modelDir, options, manifest.spec().labels()));
  }

  /**
   * The front end of every clip: {@code duration_s}, {@code frames}, {@code bins} and {@code features}
   * (frames x bins floats), computed by {@code frontEnd} (for example {@link FrontEnd#ast(int)}, or a model's
   * own, {@link #modelFrontEnd}).
   */
  public static Dataset<Row> fbank(Dataset<Row> table, String audioColumn, FrontEnd frontEnd) {
    return run(table, audioColumn, new FbankJob(frontEnd));
  }

  /** A model's own front end (its filterbank, normalisation and input length): model-ready features. */
  public static FrontEnd modelFrontEnd(SparkSession spark, String modelDir) {
    return ModelLocation.manifest(modelDir, spark.sparkContext().hadoopConfiguration()).spec().frontEnd();
  }

  /**
   * The audio files under a folder (searched recursively), matching a glob, or one file, on any Hadoop file
   * system: a table with one {@code path} column (URIs). Files are recognised by their extensions (those
   * {@code earshot} scans folders for, in any case).
   */
  public static Dataset<Row> audioPaths(SparkSession spark, String location) {
    return audioFiles(spark, location).select("path");
  }

  /**
   * The audio files of {@link #audioPaths} with their contents: Spark's {@code binaryFile} table ({@code path},
   * {@code modificationTime}, {@code length}, {@code content}); the contents are read only when used.
   */
  public static Dataset<Row> audioFiles(SparkSession spark, String location) {
    return spark.read().format("binaryFile").option("recursiveFileLookup", "true")
        .option("pathGlobFilter", audioGlob()).load(location);
  }

  /** Closes the models this JVM holds that no running task uses (they are loaded again when needed). */
  public static void closeIdleModels() {
    ExecutorModels.closeIdle();
  }

  /** "*.{[wW][aA][vV],...}": the audio extensions, either case. */
  static String audioGlob() {
    List<String> alternatives = new ArrayList<>();
    for (String ext : AudioFile.fileExtensions()) {
      StringBuilder b = new StringBuilder();
      for (char c : ext.substring(1).toCharArray()) {
        if (Character.isLetter(c)) {
          b.append('[').append(Character.toLowerCase(c)).append(Character.toUpperCase(c)).append(']');
        } else {
          b.append(c);
        }
      }
      alternatives.add(b.toString());
    }
    return "*.{" + String.join(",", alternatives) + "}";
  }

  private static org.apache.hadoop.conf.Configuration hadoop(Dataset<Row> table) {
    return table.sparkSession().sparkContext().hadoopConfiguration();
  }

  private static Dataset<Row> run(Dataset<Row> table, String audioColumn, ClipJob job) {
    StructType in = table.schema();
    AudioColumn audio = AudioColumn.of(in, audioColumn);
    List<StructField> fields = new ArrayList<>();
    List<Integer> kept = new ArrayList<>();
    List<String> jobNames = new ArrayList<>();
    job.fields().forEach(f -> jobNames.add(f.name()));
    Columns.errors().forEach(f -> jobNames.add(f.name()));
    for (int i = 0; i < in.fields().length; i++) {
      StructField f = in.fields()[i];
      if (f.dataType() instanceof BinaryType) {
        continue;
      }
      if (jobNames.contains(f.name())) {
        throw new dev.earshot.ConfigException(String.format(Locale.ROOT,
            "the table already has a column '%s', which the result would repeat: rename or drop it first", f.name()));
      }
      fields.add(f);
      kept.add(i);
    }
    fields.addAll(job.fields());
    fields.addAll(Columns.errors());
    StructType out = new StructType(fields.toArray(new StructField[0]));
    SparkSession spark = table.sparkSession();
    Broadcast<HadoopConfiguration> hadoop = JavaSparkContext.fromSparkContext(spark.sparkContext())
        .broadcast(new HadoopConfiguration(spark.sparkContext().hadoopConfiguration()));
    ClipPartitions partitions = new ClipPartitions(job, audio, kept.stream().mapToInt(Integer::intValue).toArray(),
        hadoop);
    Dataset<Row> result = table.mapPartitions(partitions, Encoders.row(out));
    // the row encoder drops column metadata (the labels of an all-scores column): put it back
    List<Column> columns = new ArrayList<>();
    for (StructField f : out.fields()) {
      Column c = functions.col(f.name());
      columns.add(f.metadata().equals(Metadata.empty()) ? c : c.as(f.name(), f.metadata()));
    }
    return result.select(columns.toArray(new Column[0]));
  }
}
