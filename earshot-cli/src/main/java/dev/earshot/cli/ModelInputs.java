package dev.earshot.cli;

import dev.earshot.EarshotException;
import dev.earshot.io.Npy;
import dev.earshot.io.NpyArray;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@code --features} inputs: normalised filterbanks from .npy files of shape (T, F) or (B, T, F), one
 * model input each (audio files go through {@link ParallelClips} and the model's windows instead).
 * Unreadable inputs are reported and skipped.
 */
final class ModelInputs {
  /** One clip: where it came from and its normalised features (T, F). */
  record Clip(String name, float[][] features) {}

  /** Clips in input order and the inputs that failed, with the reason. */
  record Loaded(List<Clip> clips, List<String> skipped) {}

  private ModelInputs() {}

  static Loaded load(List<Path> inputs) {
    List<Clip> clips = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
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

  private static float[][] matrix(float[] flat, int offset, int rows, int cols) {
    float[][] m = new float[rows][cols];
    for (int r = 0; r < rows; r++) {
      System.arraycopy(flat, offset + r * cols, m[r], 0, cols);
    }
    return m;
  }
}
