package dev.earshot.cli;

import dev.earshot.ConfigException;
import picocli.CommandLine.Option;

/**
 * Where {@code earshot spark} jobs read their clips and which Spark runs them: a folder, glob or file of audio
 * on any Hadoop file system (as paths, or with {@code --bytes} as their contents), or a table whose column holds
 * paths or contents; {@code --master} (default {@code local[*]}, or what {@code spark-submit} set). A picocli
 * mixin; nothing here touches Spark's classes.
 */
final class SparkInput {
  @Option(names = "--input", paramLabel = "LOCATION", description = "Audio files: a folder (searched recursively for "
      + "the audio extensions), a glob or a file; a local path or a Hadoop URI (hdfs://, s3a://, ...).")
  String input;

  @Option(names = "--bytes", description = "Read --input as file contents (Spark's binaryFile source) rather than "
      + "paths: the executors need no access to the files' location.")
  boolean bytes;

  @Option(names = "--table", paramLabel = "FILE", description = "A table of clips instead of --input: Parquet, or "
      + "CSV (with a header) / JSON lines by extension.")
  String table;

  @Option(names = "--column", paramLabel = "NAME", defaultValue = "path", description = "The --table column with the "
      + "audio: paths (strings) or file contents (binary). Default: ${DEFAULT-VALUE}.")
  String column;

  @Option(names = "--partitions", paramLabel = "N", description = "Repartition the clips into N tasks first.")
  Integer partitions;

  @Option(names = "--master", paramLabel = "URL", description = "Spark master: local[*] (default: every core of this "
      + "machine, bound to loopback), local[N], spark://HOST:PORT, yarn, k8s://...; under spark-submit, its own.")
  String master;

  /** The choices as plain values, checked. */
  SparkJobs.Input values() {
    if ((input == null) == (table == null)) {
      throw new ConfigException("give the clips with either --input (audio files) or --table (a table of clips)");
    }
    if (bytes && table != null) {
      throw new ConfigException("--bytes reads --input's files; a --table column holds paths or contents already");
    }
    if (partitions != null && partitions < 1) {
      throw new ConfigException("--partitions must be at least 1, got " + partitions);
    }
    return new SparkJobs.Input(input, bytes, table, column, partitions, master);
  }

  /** Fails with the way out when Spark's classes are missing (the command line was started without them). */
  static void requireSpark() {
    try {
      Class.forName("org.apache.spark.sql.SparkSession", false, SparkInput.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new ConfigException("Spark is not on the class path: run 'earshot spark' through the ./earshot launcher "
          + "(it adds earshot-cli/target/spark-lib), or through spark-submit with the application jar (README)");
    }
  }
}
