package dev.earshot.spark;

import java.io.Serializable;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.types.StructField;

/**
 * What a Spark job computes per clip: its result columns, and a per-task worker that turns one clip into the
 * values of those columns (in order). The worker holds what the task shares with others of its JVM (a model
 * lease) and is closed when the task ends.
 */
interface ClipJob extends Serializable {
  /** The result columns, after the table's own columns and before the error columns. */
  List<StructField> fields();

  /** A worker for one task. */
  Worker open(Configuration conf);

  /** Computes the result columns of one clip; an exception becomes the row's error. */
  interface Worker extends AutoCloseable {
    Object[] apply(ClipInput clip);

    @Override
    void close();
  }
}
