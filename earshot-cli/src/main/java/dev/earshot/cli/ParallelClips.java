package dev.earshot.cli;

import dev.earshot.EarshotException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Runs one analysis per audio file on a few threads (so that a shared model runner can batch across files),
 * with a progress bar; results come back in input order, unreadable files as skip messages.
 */
final class ParallelClips {
  /** The files that worked, with their results, and the ones that failed, with the reason. */
  record Outcome<T>(List<Path> files, List<T> results, List<String> skipped) {}

  private ParallelClips() {}

  static <T> Outcome<T> map(List<Path> files, PrintWriter err, String label, Function<Path, T> analysis) {
    int threads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Path> done = new ArrayList<>();
    List<T> results = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    try (ProgressBar bar = new ProgressBar(err, label, files.size())) {
      List<Future<T>> futures = new ArrayList<>();
      for (Path f : files) {
        futures.add(pool.submit(() -> analysis.apply(f)));
      }
      for (int i = 0; i < files.size(); i++) {
        try {
          results.add(futures.get(i).get());
          done.add(files.get(i));
        } catch (ExecutionException e) {
          if (e.getCause() instanceof EarshotException ee) {
            skipped.add(ee.getMessage());
          } else {
            throw new IllegalStateException(e.getCause());
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new EarshotException("interrupted");
        }
        bar.step(null);
      }
    } finally {
      pool.shutdownNow();
    }
    return new Outcome<>(done, results, skipped);
  }
}
