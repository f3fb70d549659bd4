package dev.earshot.spark;

import dev.earshot.features.WindowSpec;
import dev.earshot.infer.AudioClassifier;
import dev.earshot.infer.WindowedResult;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.MetadataBuilder;
import org.apache.spark.sql.types.StructField;

/**
 * Class scores per clip with the executor's shared {@link AudioClassifier}, as {@code earshot classify}: the
 * probabilities of every window, their aggregate as the clip's answer, written as the top k classes with
 * their scores ({@code predictions}) or as every class's score in label order ({@code scores}, the labels in
 * the column's metadata under {@code labels}); optionally every window's answer too.
 */
final class ClassifyJob implements ClipJob {
  private static final long serialVersionUID = 1L;

  static final String PREDICTIONS = "predictions";
  static final String SCORES = "scores";
  static final String LABELS_METADATA = "labels";

  private final ExecutorModels.Key model;
  private final ClassifyOptions options;
  private final List<String> labels;

  /** @param labels the model's class names (for the metadata of the all-scores column) */
  ClassifyJob(String modelLocation, ClassifyOptions options, List<String> labels) {
    Compute c = options.compute();
    this.model = new ExecutorModels.Key(modelLocation, true, -1, c.batchSize(), c.device(), c.precision());
    this.options = options;
    this.labels = List.copyOf(labels);
  }

  @Override
  public List<StructField> fields() {
    List<StructField> out = new ArrayList<>(Columns.clipFields());
    String name = options.allScores() ? SCORES : PREDICTIONS;
    DataType type = options.allScores() ? Columns.VECTOR : Columns.PREDICTIONS;
    out.add(options.allScores()
        ? new StructField(name, type, true, new MetadataBuilder().putStringArray(LABELS_METADATA,
            labels.toArray(new String[0])).build())
        : Columns.field(name, type));
    if (options.windows()) {
      out.add(Columns.windows(name, type));
    }
    return out;
  }

  @Override
  public Worker open(Configuration conf) {
    ExecutorModels.Lease lease = ExecutorModels.acquire(model, conf);
    AudioClassifier classifier = lease.classifier();
    WindowSpec windows;
    try {
      windows = options.windowing().spec(classifier.spec());
    } catch (RuntimeException e) {
      lease.close();
      throw e;
    }
    Function<float[], Object> answer = options.allScores() ? s -> s
        : s -> Columns.predictionRows(classifier.top(s, options.topK()));
    return new Worker() {
      @Override
      public Object[] apply(ClipInput clip) {
        WindowedResult r = clip.read(
            f -> classifier.classifyWindows(f, windows, options.windowing().aggregation()),
            (bytes, name) -> classifier.classifyWindows(bytes, name, windows, options.windowing().aggregation()));
        List<Object> values = new ArrayList<>(List.of(Columns.clipValues(r)));
        values.add(answer.apply(r.aggregate()));
        if (options.windows()) {
          values.add(Columns.windowRows(r, answer));
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
