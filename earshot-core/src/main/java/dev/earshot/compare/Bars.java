package dev.earshot.compare;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The bars a representation benchmark is held to, read from a comparison's report: every pretrained method beats
 * its own architecture from scratch on every task, frozen and fine-tuned; and on every task the best pretrained
 * method (frozen or fine-tuned, whichever is higher) beats the log-mel-statistics baseline. Bars whose rows or
 * evaluations were not run are left out.
 */
public final class Bars {
  private Bars() {}

  /**
   * One bar.
   *
   * @param name what is claimed, e.g. "ssast > scratch-ssast-micro-patch on drums, frozen clip"
   * @param met whether it holds
   * @param detail the numbers (in %)
   */
  public record Bar(String name, boolean met, String detail) {}

  /** The evaluations the bars look at. */
  static final List<Evaluation> JUDGED = List.of(Evaluation.FROZEN, Evaluation.FINETUNE);

  /** Every bar that the report's rows allow. */
  public static List<Bar> of(Report report) {
    List<Bar> out = new ArrayList<>();
    List<Row> pretrained = report.rows().stream()
        .filter(r -> !r.method().equals(Entry.SCRATCH) && !r.method().equals(Entry.LOG_MEL)).toList();
    for (Row m : pretrained) {
      Row scratch = report.rows().stream().filter(r -> r.method().equals(Entry.SCRATCH) && r.model().equals(m.model()))
          .findFirst().orElse(null);
      if (scratch == null) {
        continue;
      }
      for (Task t : report.plan().tasks()) {
        for (Evaluation e : JUDGED) {
          Score a = m.score(t.name(), e);
          Score b = scratch.score(t.name(), e);
          if (a != null && b != null) {
            out.add(new Bar(m.name() + " > " + scratch.name() + " on " + t.name() + ", " + e.column(),
                a.mean() > b.mean(), String.format(Locale.ROOT, "%.1f vs %.1f", 100 * a.mean(), 100 * b.mean())));
          }
        }
      }
    }
    Row baseline = report.rows().stream().filter(r -> r.method().equals(Entry.LOG_MEL)).findFirst().orElse(null);
    if (baseline != null && !pretrained.isEmpty()) {
      for (Task t : report.plan().tasks()) {
        Score base = baseline.score(t.name(), Evaluation.FROZEN);
        Row bestRow = null;
        Evaluation bestEvaluation = null;
        double best = Double.NEGATIVE_INFINITY;
        for (Row m : pretrained) {
          for (Evaluation e : JUDGED) {
            Score s = m.score(t.name(), e);
            if (s != null && s.mean() > best) {
              best = s.mean();
              bestRow = m;
              bestEvaluation = e;
            }
          }
        }
        if (base != null && bestRow != null) {
          out.add(new Bar("best method > logmel on " + t.name(), best > base.mean(),
              String.format(Locale.ROOT, "%s %s %.1f vs logmel %.1f", bestRow.name(), bestEvaluation.column(),
                  100 * best, 100 * base.mean())));
        }
      }
    }
    return out;
  }

  /** The bars as Markdown lines ("- [x] ..."), with a count of those met. */
  public static String markdown(List<Bar> bars) {
    StringBuilder sb = new StringBuilder();
    long met = bars.stream().filter(Bar::met).count();
    sb.append(String.format(Locale.ROOT, "Bars met: %d of %d%n%n", met, bars.size()));
    for (Bar b : bars) {
      sb.append(b.met() ? "- [x] " : "- [ ] ").append(b.name()).append(": ").append(b.detail()).append('\n');
    }
    return sb.toString();
  }
}
