package dev.earshot.bench;

import dev.earshot.audio.AudioFile;
import dev.earshot.audio.Mixdown;
import dev.earshot.features.FbankConfig;
import dev.earshot.features.KaldiFbank;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Filterbank throughput on one thread, in seconds of audio per second of compute, for the AST front end
 * (16 kHz, Hann, 128 bins, waveform DC removal). Prints one JSON line per file.
 *
 * <p>Usage: {@code java -cp earshot-bench.jar dev.earshot.bench.FbankThroughput [--seconds S] FILE...}
 * Each file is decoded once; then the filterbank alone is timed: warm-up for about S/3 seconds, then
 * repeated calls for about S seconds, reporting the median call time.
 */
public final class FbankThroughput {
  private FbankThroughput() {}

  public static void main(String[] args) {
    double budget = 6;
    int first = 0;
    if (args.length > 1 && args[0].equals("--seconds")) {
      budget = Double.parseDouble(args[1]);
      first = 2;
    }
    KaldiFbank fbank = new KaldiFbank(FbankConfig.ast());
    for (int a = first; a < args.length; a++) {
      Path file = Path.of(args[a]);
      float[] samples = AudioFile.read(file).toMono(Mixdown.AVERAGE).samples();
      double audioSeconds = samples.length / 16000.0;
      long warmEnd = System.nanoTime() + (long) (budget / 3 * 1e9);
      while (System.nanoTime() < warmEnd) {
        fbank.compute(samples);
      }
      double[] times = new double[100_000];
      int n = 0;
      long end = System.nanoTime() + (long) (budget * 1e9);
      while (n < times.length && (System.nanoTime() < end || n < 5)) {
        long t0 = System.nanoTime();
        float[][] out = fbank.compute(samples);
        times[n++] = (System.nanoTime() - t0) / 1e9;
        if (out.length == 0) {
          throw new IllegalStateException("no frames");
        }
      }
      double[] sorted = Arrays.copyOf(times, n);
      Arrays.sort(sorted);
      double median = sorted[n / 2];
      System.out.printf(Locale.ROOT,
          "{\"impl\": \"earshot\", \"file\": \"%s\", \"audio_s\": %.3f, \"calls\": %d, \"median_s\": %.6f,"
              + " \"min_s\": %.6f, \"audio_s_per_s\": %.1f, \"threads\": 1}%n",
          file.getFileName(), audioSeconds, n, median, sorted[0], audioSeconds / median);
    }
  }
}
