package dev.earshot.spark;

import dev.earshot.features.WindowSpec;
import dev.earshot.infer.AudioEmbedder;
import dev.earshot.infer.TimeSteps;
import dev.earshot.infer.WindowedResult;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

/**
 * Embeddings per clip with the executor's shared {@link AudioEmbedder}: the clip embedding (the aggregate of its
 * windows, as {@code earshot embed}) with optional per-window embeddings, or time-step embeddings with their
 * timestamps (as {@code earshot embed --frames}).
 */
final class EmbedJob implements ClipJob {
  private static final long serialVersionUID = 1L;

  static final String EMBEDDING = "embedding";
  static final String TIMESTAMPS = "timestamps_ms";
  static final String EMBEDDINGS = "embeddings";

  private final ExecutorModels.Key model;
  private final EmbedOptions options;

  EmbedJob(String modelLocation, EmbedOptions options) {
    Compute c = options.compute();
    this.model = new ExecutorModels.Key(modelLocation, false, options.layer(), c.batchSize(), c.device(),
        c.precision());
    this.options = options;
  }

  @Override
  public List<StructField> fields() {
    List<StructField> out = new ArrayList<>();
    if (options.timeSteps()) {
      out.add(Columns.field(Columns.CROPPED, DataTypes.BooleanType));
      out.add(Columns.field(TIMESTAMPS, DataTypes.createArrayType(DataTypes.DoubleType, false)));
      out.add(Columns.field(EMBEDDINGS, Columns.MATRIX));
      return out;
    }
    out.addAll(Columns.clipFields());
    out.add(Columns.field(EMBEDDING, Columns.VECTOR));
    if (options.windows()) {
      out.add(Columns.windows(EMBEDDING, Columns.VECTOR));
    }
    return out;
  }

  @Override
  public Worker open(Configuration conf) {
    ExecutorModels.Lease lease = ExecutorModels.acquire(model, conf);
    AudioEmbedder embedder = lease.embedder();
    WindowSpec windows;
    try {
      windows = options.windowing().spec(embedder.spec());
    } catch (RuntimeException e) {
      lease.close();
      throw e;
    }
    return new Worker() {
      @Override
      public Object[] apply(ClipInput clip) {
        if (options.timeSteps()) {
          TimeSteps t = clip.read(f -> embedder.embedTimeSteps(f, windows),
              (bytes, name) -> embedder.embedTimeSteps(bytes, name, windows));
          return new Object[] {t.cropped(), t.timestampsMs(), t.embeddings()};
        }
        WindowedResult r = clip.read(f -> embedder.embedWindows(f, windows, options.windowing().aggregation()),
            (bytes, name) -> embedder.embedWindows(bytes, name, windows, options.windowing().aggregation()));
        Object[] clipValues = Columns.clipValues(r);
        List<Object> values = new ArrayList<>(List.of(clipValues));
        values.add(r.aggregate());
        if (options.windows()) {
          values.add(Columns.windowRows(r, v -> v));
        }
        return values.toArray();
      }

      @Override
      public void close() {
        lease.close();
      }
    };
  }
}
