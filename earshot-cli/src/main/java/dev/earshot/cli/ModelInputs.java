package dev.earshot.cli;

import dev.earshot.EarshotException;
import dev.earshot.features.FrontEnd;
import dev.earshot.io.Npy;
import dev.earshot.io.NpyArray;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Turns command-line inputs into model-ready features: audio files and folders through the model's front end
 * (in parallel), or, with {@code --features}, normalised filterbanks from .npy files of shape (T, F) or
 * (B, T, F). Unreadable inputs are reported and skipped.
 */
final class ModelInputs {
  /** One clip: where it came from and its normalised features (T, F). */
  record Clip(String name, float[][] features) {}

  /** Clips in input order and the inputs that failed, with the reason. */
  record Loaded(List<Clip> clips, List<String> skipped) {}

  private ModelInputs() {}

  static Loaded load(List<Path> inputs, boolean precomputed, FrontEnd frontEnd, PrintWriter err) {
    List<Clip> clips = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    if (precomputed) {
      for (Path p : inputs) {
        try {
          NpyArray a = Npy.read(p);
          int[] s = a.shape();
          float[] flat = a.toFloats();
          if (s.length == 2) {
            clips.add(new Clip(p.toString(), matrix(flat, 0, s[0], s[1])));
          } else if (s.length == 3) {
            for (int b = 0; b < s[0]; b++) {
              clips.add(new Clip(p + "[" + b + "]", matrix(flat, b * s[1] * s[2], s[1], s[2])));
            }
          } else {
            throw new EarshotException(p + ": expected features of shape (T, F) or (B, T, F), got "
                + java.util.Arrays.toString(s));
          }
        } catch (EarshotException e) {
          skipped.add(e.getMessage());
        }
      }
      return new Loaded(clips, skipped);
    }
    List<Path> files = InputFiles.expand(inputs);
    int threads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try (ProgressBar bar = new ProgressBar(err, "features", files.size())) {
      List<Future<float[][]>> futures = new ArrayList<>();
      for (Path f : files) {
        futures.add(pool.submit(() -> frontEnd.process(f)));
      }
      for (int i = 0; i < files.size(); i++) {
        try {
          clips.add(new Clip(files.get(i).toString(), futures.get(i).get()));
        } catch (java.util.concurrent.ExecutionException e) {
          // whatever failed, the other inputs still produce output; this one is reported with its reason
          Throwable cause = e.getCause();
          String message = cause instanceof EarshotException ? cause.getMessage()
              : cause instanceof OutOfMemoryError ? files.get(i) + ": ran out of memory while loading"
              : files.get(i) + ": failed to load (" + cause + ")";
          skipped.add(message.startsWith(files.get(i).toString()) ? message : files.get(i) + ": " + message);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new EarshotException("interrupted");
        }
        bar.step(null);
      }
    } finally {
      pool.shutdownNow();
    }
    return new Loaded(clips, skipped);
  }

  private static float[][] matrix(float[] flat, int offset, int rows, int cols) {
    float[][] m = new float[rows][cols];
    for (int r = 0; r < rows; r++) {
      System.arraycopy(flat, offset + r * cols, m[r], 0, cols);
    }
    return m;
  }
}
