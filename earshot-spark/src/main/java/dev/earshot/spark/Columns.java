package dev.earshot.spark;

import dev.earshot.infer.Prediction;
import dev.earshot.infer.WindowValues;
import dev.earshot.infer.WindowedResult;
import java.util.List;
import java.util.function.Function;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** The result columns the jobs share: names, types, and earshot's results as Spark values. */
final class Columns {
  static final String ERROR = "error";
  static final String ERROR_KIND = "error_kind";
  static final String DURATION = "duration_s";
  static final String CROPPED = "cropped";
  static final String WINDOW_COUNT = "window_count";
  static final String WINDOWS = "windows";

  static final DataType VECTOR = DataTypes.createArrayType(DataTypes.FloatType, false);
  static final DataType MATRIX = DataTypes.createArrayType(VECTOR, false);
  static final StructType PREDICTION = new StructType(new StructField[] {
      field("index", DataTypes.IntegerType), field("label", DataTypes.StringType), field("score", DataTypes.FloatType)});
  static final DataType PREDICTIONS = DataTypes.createArrayType(PREDICTION, false);

  private Columns() {}

  static StructField field(String name, DataType type) {
    return new StructField(name, type, true, Metadata.empty());
  }

  /** The columns every clip job ends with: why the clip failed (null when it did not) and the problem's kind. */
  static List<StructField> errors() {
    return List.of(field(ERROR, DataTypes.StringType), field(ERROR_KIND, DataTypes.StringType));
  }

  /** Duration, crop flag and window count of a windowed result. */
  static List<StructField> clipFields() {
    return List.of(field(DURATION, DataTypes.DoubleType), field(CROPPED, DataTypes.BooleanType),
        field(WINDOW_COUNT, DataTypes.IntegerType));
  }

  /** {@code windows}: one struct per window, its times and {@code values} as {@code valueType}. */
  static StructField windows(String valuesName, DataType valueType) {
    StructType window = new StructType(new StructField[] {field("index", DataTypes.IntegerType),
        field("start_s", DataTypes.DoubleType), field("end_s", DataTypes.DoubleType), field(valuesName, valueType)});
    return field(WINDOWS, DataTypes.createArrayType(window, false));
  }

  static Object[] clipValues(WindowedResult r) {
    return new Object[] {r.durationSeconds(), r.cropped(), r.windows().size()};
  }

  static Row[] windowRows(WindowedResult r, Function<float[], Object> values) {
    List<WindowValues> windows = r.windows();
    Row[] rows = new Row[windows.size()];
    for (int i = 0; i < rows.length; i++) {
      WindowValues w = windows.get(i);
      rows[i] = RowFactory.create(w.index(), w.startSeconds(), w.endSeconds(), values.apply(w.values()));
    }
    return rows;
  }

  static Row[] predictionRows(List<Prediction> predictions) {
    Row[] rows = new Row[predictions.size()];
    for (int i = 0; i < rows.length; i++) {
      Prediction p = predictions.get(i);
      rows[i] = RowFactory.create(p.index(), p.label(), p.score());
    }
    return rows;
  }
}
