package dev.earshot.features;

import dev.earshot.audio.AudioInputException;
import dev.earshot.audio.AudioLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Mean and standard deviation of the log-mel filterbank over a set of clips, to build a
 * {@link Normalization} for a new dataset (what AST's {@code get_norm_stats.py} is for).
 *
 * <p>Implementation notes. Values are pooled over every cell of every clip with Chan/Welford updates in
 * double precision, so the result does not depend on batch boundaries. With {@code targetFrames > 0}
 * each clip is first padded or cropped like the training input, which reproduces AST's statistics (they
 * include the zero padding); with 0 the natural lengths are used. The std is the population std.
 *
 * @param mean pooled mean
 * @param std pooled standard deviation
 * @param clips clips that contributed
 * @param values cells that contributed
 * @param skipped clips that could not be read, with the reason
 */
public record FeatureStatistics(double mean, double std, int clips, long values, List<String> skipped) {

  /** The normalisation these statistics define. */
  public Normalization toNormalization() {
    return new Normalization(mean, std);
  }

  /**
   * Computes statistics over {@code files}; unreadable clips are skipped and listed, never fatal.
   *
   * @param progress called with the number of files done so far (may be a no-op)
   */
  public static FeatureStatistics compute(
      Collection<Path> files, AudioLoader loader, FbankConfig fbank, int targetFrames, IntConsumer progress) {
    KaldiFbank kaldi = KaldiFbankCache.get(fbank);
    Accumulator acc = new Accumulator();
    List<String> skipped = new ArrayList<>();
    int done = 0;
    int clips = 0;
    for (Path file : files) {
      try {
        float[][] features = kaldi.compute(loader.load(file));
        if (targetFrames > 0) {
          features = PadCrop.apply(features, targetFrames);
        }
        for (float[] row : features) {
          for (float v : row) {
            acc.add(v);
          }
        }
        clips++;
      } catch (AudioInputException e) {
        skipped.add(e.file() == null ? e.withFile(file).getMessage() : e.getMessage());
      }
      progress.accept(++done);
    }
    if (acc.count == 0) {
      throw new dev.earshot.EarshotException("no readable clip among " + files.size() + " files");
    }
    return new FeatureStatistics(acc.mean, Math.sqrt(acc.m2 / acc.count), clips, acc.count, List.copyOf(skipped));
  }

  private static final class Accumulator {
    long count;
    double mean;
    double m2;

    void add(double x) {
      count++;
      double delta = x - mean;
      mean += delta / count;
      m2 += delta * (x - mean);
    }
  }
}
