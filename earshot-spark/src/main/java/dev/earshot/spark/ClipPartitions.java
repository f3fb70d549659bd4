package dev.earshot.spark;

import dev.earshot.EarshotException;
import dev.earshot.audio.AudioInputException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.util.TaskCompletionListener;

/**
 * Runs a {@link ClipJob} over one partition: each input row gives one output row — the table's own columns
 * (binary audio left out), the job's columns, and {@code error}/{@code error_kind}. A clip that cannot be read
 * or analysed (missing, unreadable, corrupt, truncated, too short, ...) gets its error there and null results;
 * the task and the job go on. Rows are processed one at a time in the task's thread, in order, so a task holds
 * one clip (and its windows in flight) at a time.
 */
final class ClipPartitions implements MapPartitionsFunction<Row, Row> {
  private static final long serialVersionUID = 1L;

  private final ClipJob job;
  private final AudioColumn audio;
  private final int[] kept;
  private final Broadcast<HadoopConfiguration> hadoop;

  /** @param kept the input columns copied to the output, in order */
  ClipPartitions(ClipJob job, AudioColumn audio, int[] kept, Broadcast<HadoopConfiguration> hadoop) {
    this.job = job;
    this.audio = audio;
    this.kept = kept.clone();
    this.hadoop = hadoop;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
    TaskContext task = TaskContext.get();
    Configuration conf = hadoop.value().get();
    ClipJob.Worker worker = job.open(conf);
    if (task != null) {
      task.addTaskCompletionListener(new TaskCompletionListener() {
        @Override
        public void onTaskCompletion(TaskContext context) {
          worker.close();
        }
      });
    }
    int width = job.fields().size();
    String partition = task == null ? "" : task.partitionId() + ":";
    return new Iterator<>() {
      private long number;

      @Override
      public boolean hasNext() {
        return rows.hasNext();
      }

      @Override
      public Row next() {
        if (!rows.hasNext()) {
          throw new NoSuchElementException();
        }
        return process(rows.next(), number++, partition, worker, width, conf, task);
      }
    };
  }

  private Row process(Row in, long number, String partition, ClipJob.Worker worker, int width, Configuration conf,
      TaskContext task) {
    Object[] out = new Object[kept.length + width + 2];
    for (int i = 0; i < kept.length; i++) {
      out[i] = in.get(kept[i]);
    }
    String rowLabel = "row " + partition + number;
    try (ClipInput clip = audio.open(in, rowLabel, conf)) {
      Object[] values = worker.apply(clip);
      System.arraycopy(values, 0, out, kept.length, width);
    } catch (RuntimeException e) {
      if (Thread.currentThread().isInterrupted() || (task != null && task.isInterrupted())) {
        throw e; // the task was killed (cancelled job, speculative copy): not the clip's fault
      }
      out[kept.length + width] = message(e, audio.name(in, rowLabel));
      out[kept.length + width + 1] = kind(e);
    }
    return RowFactory.create(out);
  }

  /** earshot's messages name the clip already; anything else is prefixed with it. */
  static String message(RuntimeException e, String clip) {
    if (e instanceof EarshotException) {
      return e.getMessage();
    }
    return clip + ": " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }

  /** The problem of an audio error (NOT_FOUND, CORRUPT, TRUNCATED, ...), else the exception's type. */
  static String kind(RuntimeException e) {
    return e instanceof AudioInputException a ? a.problem().name() : e.getClass().getSimpleName();
  }
}
