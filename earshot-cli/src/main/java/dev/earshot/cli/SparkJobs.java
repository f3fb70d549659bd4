package dev.earshot.cli;

import dev.earshot.ConfigException;
import dev.earshot.features.FrontEnd;
import dev.earshot.spark.ClassifyOptions;
import dev.earshot.spark.EarshotSpark;
import dev.earshot.spark.EmbedOptions;
import dev.earshot.spark.PretrainLaunch;
import dev.earshot.spark.SparkPretraining;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * The Spark side of {@code earshot spark}: the session, the table of clips, the job, the Parquet output. Only
 * the spark commands load this class (its methods take and return plain values), so no other command touches
 * Spark's classes, which are on the class path of {@code earshot spark} alone.
 */
final class SparkJobs {
  /** Where the clips come from and which master runs the job ({@link SparkInput}). */
  record Input(String location, boolean bytes, String table, String column, Integer partitions, String master) {}

  /** What a job wrote: rows, rows with an error, and the first errors. */
  record Written(long rows, long errors, List<String> firstErrors) {}

  private SparkJobs() {}

  static Written embed(Input in, String model, EmbedOptions options, String out, boolean overwrite) {
    return write(in, "embed", (table, column) -> EarshotSpark.embed(table, column, model, options), out, overwrite);
  }

  static Written classify(Input in, String model, ClassifyOptions options, String out, boolean overwrite) {
    return write(in, "classify", (table, column) -> EarshotSpark.classify(table, column, model, options), out,
        overwrite);
  }

  /** The filterbank of every clip by {@code frontEnd}, or by the front end of {@code model} when given. */
  static Written fbank(Input in, String model, FrontEnd frontEnd, String out, boolean overwrite) {
    return write(in, "fbank", (table, column) -> EarshotSpark.fbank(table, column,
        model == null ? frontEnd : EarshotSpark.modelFrontEnd(table.sparkSession(), model)), out, overwrite);
  }

  /** Pretraining as a barrier stage over the clips (a listing is sorted by path, a table keeps its order). */
  static SparkPretraining.Result pretrain(Input in, Map<String, Object> recipe, String runDir, PretrainLaunch launch) {
    if (in.bytes()) {
      throw new ConfigException("pretraining reads clips by path: --bytes does not apply");
    }
    if (in.partitions() != null) {
      throw new ConfigException("--partitions does not apply to pretraining: it runs --workers tasks");
    }
    return inSession(in.master(), "earshot spark pretrain", spark -> {
      Dataset<Row> table = in.table() != null ? readTable(spark, in.table())
          : EarshotSpark.audioPaths(spark, in.location()).orderBy("path");
      return SparkPretraining.run(table, in.table() != null ? in.column() : "path", recipe, runDir, launch);
    });
  }

  private interface Job {
    Dataset<Row> apply(Dataset<Row> table, String column);
  }

  private static Written write(Input in, String name, Job job, String out, boolean overwrite) {
    return inSession(in.master(), "earshot spark " + name, spark -> {
      Dataset<Row> table;
      String column;
      if (in.table() != null) {
        table = readTable(spark, in.table());
        column = in.column();
      } else if (in.bytes()) {
        table = EarshotSpark.audioFiles(spark, in.location());
        column = "content";
      } else {
        table = EarshotSpark.audioPaths(spark, in.location());
        column = "path";
      }
      if (in.partitions() != null) {
        table = table.repartition(in.partitions());
      }
      requireAbsent(spark, out, overwrite);
      job.apply(table, column).write().mode(overwrite ? SaveMode.Overwrite : SaveMode.ErrorIfExists).parquet(out);
      Dataset<Row> written = spark.read().parquet(out);
      Dataset<Row> failed = written.where("error is not null");
      List<String> first = failed.select("error").limit(10).as(Encoders.STRING()).collectAsList();
      return new Written(written.count(), failed.count(), first);
    });
  }

  private static void requireAbsent(SparkSession spark, String out, boolean overwrite) {
    if (overwrite) {
      return;
    }
    org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(out);
    try {
      if (path.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(path)) {
        throw new ConfigException("--out " + out + " exists: choose another folder, or --overwrite to replace it");
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("--out " + out + ": " + e.getMessage(), e);
    }
  }

  private static Dataset<Row> readTable(SparkSession spark, String file) {
    String lower = file.toLowerCase(Locale.ROOT);
    if (lower.endsWith(".csv")) {
      return spark.read().option("header", "true").csv(file);
    }
    if (lower.endsWith(".json") || lower.endsWith(".jsonl")) {
      return spark.read().json(file);
    }
    return spark.read().parquet(file);
  }

  /**
   * Runs {@code job} in a session for {@code master} (default: the one spark-submit set, else {@code local[*]});
   * a local session binds to loopback, has no web UI, and is stopped afterwards unless it existed before.
   */
  private static <T> T inSession(String master, String app, Function<SparkSession, T> job) {
    boolean existed = SparkSession.getDefaultSession().isDefined();
    String chosen = master != null ? master : System.getProperty("spark.master", "local[*]");
    SparkSession.Builder builder = SparkSession.builder().appName(app).master(chosen)
        .config("spark.ui.showConsoleProgress", "true");
    if (chosen.startsWith("local")) {
      builder.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
          .config("spark.ui.enabled", "false");
    }
    SparkSession spark = builder.getOrCreate();
    try {
      return job.apply(spark);
    } catch (Exception e) { // Scala code throws checked exceptions unannounced
      if (e instanceof org.apache.spark.sql.AnalysisException) {
        throw new ConfigException(e.getMessage()); // a missing input, a column not in the table, ...
      }
      if (e instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e);
    } finally {
      if (!existed) {
        spark.stop();
      }
    }
  }
}
