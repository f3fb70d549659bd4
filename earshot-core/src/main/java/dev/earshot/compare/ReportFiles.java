package dev.earshot.compare;

import dev.earshot.io.AtomicFile;
import dev.earshot.io.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The comparison's report files: {@code results.json} (the {@link Report}: plan, pool normalisation, rows with
 * scores and curves), {@code results.md} (the {@link #markdown} table) and the plots ({@link ComparisonPlots}).
 */
public final class ReportFiles {
  private ReportFiles() {}

  /** Writes every report file of {@code report} to {@code out}. */
  public static void write(Path out, Report report) {
    try {
      AtomicFile.writeString(out.resolve("results.json"), Json.pretty(report));
      AtomicFile.writeString(out.resolve("results.md"), markdown(report));
      ComparisonPlots.write(out, report);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The Markdown table: one row per entry, per task each evaluation that ran as mean ± std (in %). */
  public static String markdown(Report report) {
    Plan plan = report.plan();
    StringBuilder sb = new StringBuilder();
    sb.append("| method | model | pretraining |");
    for (Task t : plan.tasks()) {
      for (Evaluation e : plan.evaluations()) {
        sb.append(' ').append(t.name()).append(' ').append(e.column()).append(" |");
      }
    }
    sb.append("\n|---|---|---|");
    sb.append("---|".repeat(plan.tasks().size() * plan.evaluations().size()));
    sb.append('\n');
    for (Row r : report.rows()) {
      sb.append("| ").append(r.method()).append(" | ").append(r.model()).append(" | ")
          .append(r.method().equals(Entry.SCRATCH) || r.method().equals(Entry.LOG_MEL) ? "none"
              : String.format(Locale.ROOT, "%d steps, %.0f s", r.pretrainSteps(), r.pretrainSeconds()))
          .append(" |");
      for (Task t : plan.tasks()) {
        for (Evaluation e : plan.evaluations()) {
          Score s = r.score(t.name(), e);
          sb.append(s == null ? " — |"
              : String.format(Locale.ROOT, " %.1f ± %.1f |", 100 * s.mean(), 100 * s.std()));
        }
      }
      sb.append('\n');
    }
    String metric = report.rows().stream().flatMap(r -> r.tasks().values().stream())
        .flatMap(m -> m.values().stream()).map(Score::metric).findFirst().orElse("accuracy");
    sb.append("\n").append(metric).append(String.format(Locale.ROOT, " in %%, mean ± std over folds and %d seed(s)"
        + " (probe, fine-tune; frozen: over folds). Probe and fine-tune: recipe %s, %s epochs;"
        + " frozen: a linear classifier on the clip embedding (mean over windows) or on every time step's embedding;"
        + " logmel: the same classifier on the mean and std of each log-mel band over the clip.%n",
        plan.repeats(), SupervisedEvaluation.RECIPE, number(plan.epochs())));
    return sb.toString();
  }

  private static String number(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }
}
