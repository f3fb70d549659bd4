package dev.earshot.cli;

import dev.earshot.train.TrainingListener;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;

/** Shows a trainer's progress (step, loss, throughput, ETA) on a {@link ProgressBar}. */
final class TrainingProgress implements TrainingListener, AutoCloseable {
  private final ProgressBar bar;
  private final String[] keys;

  TrainingProgress(PrintWriter err, String label, long total, String... keys) {
    this.bar = new ProgressBar(err, label, total);
    this.keys = keys;
  }

  @Override
  public void onStart(long done, long total) {
    bar.startAt(done);
  }

  @Override
  public void onStep(long done, long total, double lr, Map<String, Double> metrics) {
    StringBuilder sb = new StringBuilder();
    for (String k : keys) {
      Double v = metrics.get(k);
      if (v != null) {
        sb.append(String.format(Locale.ROOT, "%s %.4f ", k, v));
      }
    }
    sb.append(String.format(Locale.ROOT, "lr %.2e", lr));
    bar.step(sb.toString());
  }

  @Override
  public void close() {
    bar.close();
  }
}
