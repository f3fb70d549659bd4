package dev.earshot.compare;

import java.util.List;
import java.util.Map;

/**
 * One row of the comparison, as stored in results.json.
 *
 * @param method the method's name, or "scratch"
 * @param tasks per task, the score of each evaluation that ran, by {@link Evaluation#key()}
 * @param progress the frozen clip-embedding score on the first task against pretraining time: a point per
 *     pretraining snapshot, starting at 0 s with the randomly initialised architecture (empty for scratch rows,
 *     or when the frozen evaluation does not run)
 */
public record Row(String method, String model, long pretrainSteps, double pretrainSeconds,
    Map<String, Map<String, Score>> tasks, List<Point> progress) {
  /** The row's name in tables and plots: the method, "scratch-MODEL" or "logmel". */
  public String name() {
    return method.equals(Entry.SCRATCH) ? Entry.SCRATCH + "-" + model : method;
  }

  /** The score of {@code evaluation} on {@code task}, or null where it was not run (the baseline has frozen only). */
  public Score score(String task, Evaluation evaluation) {
    Map<String, Score> byEvaluation = tasks.get(task);
    return byEvaluation == null ? null : byEvaluation.get(evaluation.key());
  }
}
