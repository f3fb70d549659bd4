package dev.earshot.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * A progress line on standard error: redrawn in place on a terminal, or printed every 10% when the output
 * is a file or a CI log (so logs do not fill with carriage returns).
 */
final class ProgressBar implements AutoCloseable {
  private final PrintWriter out;
  private final String label;
  private final long total;
  private final boolean interactive;
  private long startNanos = System.nanoTime();
  private long lastDraw;
  private int lastDecile = -1;
  private long done;
  /** Steps already done when timing started (a resumed run), left out of the rate. */
  private long startDone;

  ProgressBar(PrintWriter out, String label, long total) {
    this.out = out;
    this.label = label;
    this.total = Math.max(1, total);
    this.interactive = System.console() != null;
  }

  /** Continues from {@code alreadyDone} steps (a resumed run): the count starts there, the rate from now. */
  void startAt(long alreadyDone) {
    done = alreadyDone;
    startDone = alreadyDone;
    startNanos = System.nanoTime();
    lastDecile = (int) (10 * done / total);
  }

  void step(String detail) {
    done++;
    long now = System.nanoTime();
    int decile = (int) (10 * done / total);
    if (interactive) {
      if (now - lastDraw > 100_000_000L || done == total) {
        out.print("\r" + line(detail) + "\u001B[K");
        out.flush();
        lastDraw = now;
      }
    } else if (decile != lastDecile || done == total) {
      out.println(line(detail));
      out.flush();
      lastDecile = decile;
    }
  }

  private String line(String detail) {
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    double rate = (done - startDone) / Math.max(seconds, 1e-9);
    double eta = (total - done) / Math.max(rate, 1e-9);
    int width = 24;
    int filled = (int) (width * done / total);
    return String.format(Locale.ROOT, "%s [%s%s] %d/%d %.1f/s eta %s %s", label, "#".repeat(filled),
        "-".repeat(width - filled), done, total, rate, formatSeconds(eta), detail == null ? "" : detail);
  }

  static String formatSeconds(double s) {
    long t = Math.round(s);
    return t >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", t / 3600, t / 60 % 60, t % 60)
        : String.format(Locale.ROOT, "%d:%02d", t / 60, t % 60);
  }

  @Override
  public void close() {
    if (interactive) {
      out.println();
      out.flush();
    }
  }
}
