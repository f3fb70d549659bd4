package dev.earshot.compare;

import java.util.List;
import java.util.Map;

/**
 * One evaluation's result: mean and sample standard deviation of the task's metric over folds (and repeats).
 *
 * @param metric accuracy (single-label tasks) or mAP (multi-label)
 */
public record Score(String metric, double mean, double std) {
  /** Pools {@code runs} (each a metrics map of one fold of one repeat): the std is 0 for one run. */
  public static Score pooled(List<Map<String, Double>> runs) {
    String metric = runs.get(0).containsKey("accuracy") ? "accuracy" : "mAP";
    double mean = runs.stream().mapToDouble(m -> m.get(metric)).average().orElse(Double.NaN);
    double sq = runs.stream().mapToDouble(m -> (m.get(metric) - mean) * (m.get(metric) - mean)).sum();
    return new Score(metric, mean, runs.size() > 1 ? Math.sqrt(sq / (runs.size() - 1)) : 0);
  }
}
