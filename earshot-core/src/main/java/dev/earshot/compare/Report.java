package dev.earshot.compare;

import dev.earshot.features.Normalization;
import java.util.List;

/**
 * The whole comparison, as written to {@code OUT/results.json}.
 *
 * @param normalization the pool's mean and std, as decimal strings (the file's historical form)
 */
public record Report(Plan plan, List<String> normalization, List<Row> rows) {
  /** A report with the pool's normalisation. */
  public static Report of(Plan plan, Normalization pool, List<Row> rows) {
    return new Report(plan, List.of(Double.toString(pool.mean()), Double.toString(pool.std())), rows);
  }
}
