package dev.earshot.bench;

import dev.earshot.infer.AudioClassifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Offline baseline for the service's load test: what {@code earshot classify} does (a shared micro-batching
 * classifier, files analysed on 4 threads), on one file over and over for S seconds. Prints clips/s.
 *
 * <p>Usage: {@code OfflineClassify --model DIR --seconds S [--threads T] FILE}
 */
public final class OfflineClassify {
  private OfflineClassify() {}

  public static void main(String[] args) throws Exception {
    Path model = null;
    Path file = null;
    double seconds = 30;
    int threads = 4;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--model" -> model = Path.of(args[++i]);
        case "--seconds" -> seconds = Double.parseDouble(args[++i]);
        case "--threads" -> threads = Integer.parseInt(args[++i]);
        default -> file = Path.of(args[i]);
      }
    }
    Path clip = file;
    try (AudioClassifier classifier = AudioClassifier.open(model, 16)) {
      for (int i = 0; i < 3; i++) {
        classifier.classify(clip, 3);
      }
      AtomicLong done = new AtomicLong();
      long end = System.nanoTime() + (long) (seconds * 1e9);
      long start = System.nanoTime();
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        workers.add(pool.submit(() -> {
          while (System.nanoTime() < end) {
            classifier.classify(clip, 3);
            done.incrementAndGet();
          }
          return null;
        }));
      }
      for (Future<?> w : workers) {
        w.get();
      }
      double wall = (System.nanoTime() - start) / 1e9;
      pool.shutdown();
      System.out.printf(Locale.ROOT, "{\"offline_threads\": %d, \"seconds\": %.1f, \"clips\": %d, \"clips_per_s\": %.2f}%n",
          threads, wall, done.get(), done.get() / wall);
    }
  }
}
