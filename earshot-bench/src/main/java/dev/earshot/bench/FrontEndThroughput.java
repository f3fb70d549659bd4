package dev.earshot.bench;

import dev.earshot.audio.AudioFile;
import dev.earshot.audio.AudioLoader;
import dev.earshot.audio.Waveform;
import dev.earshot.features.FbankConfig;
import dev.earshot.features.KaldiFbank;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Throughput of the whole front end from the file: decode, mix down, resample to 16 kHz, AST filterbank
 * (with the waveform DC removal the AST family applies), in seconds of audio per second. One JSON line per
 * file.
 *
 * <p>Usage: {@code FrontEndThroughput [--seconds S] [--threads T] FILE...}. With T threads, T independent
 * pipelines run on the file at once (as data loaders do with clips); the rate is the audio of all finished
 * calls over the wall time. Warm-up about S/3 seconds first; with one thread the median call is reported too.
 */
public final class FrontEndThroughput {
  private FrontEndThroughput() {}

  public static void main(String[] args) throws Exception {
    double budget = 6;
    int threads = 1;
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--seconds")) {
        budget = Double.parseDouble(args[++i]);
      } else if (args[i].equals("--threads")) {
        threads = Integer.parseInt(args[++i]);
      } else {
        files.add(Path.of(args[i]));
      }
    }
    FbankConfig config = FbankConfig.ast();
    KaldiFbank fbank = new KaldiFbank(config);
    for (Path file : files) {
      double audioSeconds = AudioFile.probe(file).durationSeconds();
      run(file, fbank, budget / 3, threads);
      double[] result = run(file, fbank, budget, threads);
      System.out.printf(Locale.ROOT,
          "{\"impl\": \"earshot\", \"vector\": %s, \"file\": \"%s\", \"audio_s\": %.3f, \"threads\": %d, \"calls\": %d,"
              + " \"median_s\": %.6f, \"audio_s_per_s\": %.1f, \"java\": \"%s\"}%n",
          KaldiFbank.vectorized(config), file.getFileName(), audioSeconds, threads, (long) result[0], result[1],
          result[2], System.getProperty("java.version"));
    }
  }

  /** Returns {calls, median call seconds, audio seconds per wall second}. */
  private static double[] run(Path file, KaldiFbank fbank, double seconds, int threads) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    long start = System.nanoTime();
    long end = start + (long) (seconds * 1e9);
    List<Future<double[]>> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      workers.add(pool.submit(() -> {
        double[] times = new double[100_000];
        int n = 0;
        double audio = 0;
        while (n < times.length && (System.nanoTime() < end || n < 3)) {
          long t0 = System.nanoTime();
          Waveform w = AudioLoader.DEFAULT.load(file);
          float[][] features = fbank.compute(w);
          times[n++] = (System.nanoTime() - t0) / 1e9;
          audio += w.durationSeconds();
          if (features.length == 0) {
            throw new IllegalStateException("no frames");
          }
        }
        double[] out = Arrays.copyOf(times, n + 1);
        out[n] = audio;
        return out;
      }));
    }
    double audio = 0;
    long calls = 0;
    double[] first = null;
    for (Future<double[]> f : workers) {
      double[] r = f.get();
      audio += r[r.length - 1];
      calls += r.length - 1;
      if (first == null) {
        first = Arrays.copyOf(r, r.length - 1);
      }
    }
    double wall = (System.nanoTime() - start) / 1e9;
    pool.shutdown();
    Arrays.sort(first);
    return new double[] {calls, first[first.length / 2], audio / wall};
  }
}
