package dev.earshot.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;

/**
 * One local Spark session for all of the module's tests (Spark starts in 5-15 s): two executor threads in this
 * JVM, everything bound to loopback, no web UI; it stops with the JVM.
 */
final class SharedSpark {
  private static SparkSession session;

  private SharedSpark() {}

  static synchronized SparkSession session() {
    if (session == null) {
      Path scratch;
      try {
        scratch = Files.createTempDirectory("earshot-spark-test-");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      session = SparkSession.builder().master("local[2]").appName("earshot-spark tests")
          .config("spark.driver.host", "127.0.0.1")
          .config("spark.driver.bindAddress", "127.0.0.1")
          .config("spark.ui.enabled", "false")
          .config("spark.ui.showConsoleProgress", "false")
          .config("spark.sql.shuffle.partitions", "4")
          .config("spark.sql.warehouse.dir", scratch.resolve("warehouse").toString())
          .getOrCreate();
    }
    return session;
  }
}
