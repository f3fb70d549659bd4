package dev.earshot.compare;

import dev.earshot.EarshotException;
import dev.earshot.data.Clip;
import dev.earshot.data.Dataset;
import dev.earshot.eval.EmbeddingSpread;
import dev.earshot.eval.ShallowClassifier;
import dev.earshot.recipe.Protocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Scores frozen embeddings on a labelled dataset, HEAR style: for each fold of the dataset's protocol a
 * standardised linear classifier ({@link ShallowClassifier}) on the training clips' embedding rows (one per clip,
 * or one per time step, each with its clip's label); a test clip's score is the mean of its rows' scores.
 */
public final class FrozenScoring {
  /** What the classifier is, as results record it. */
  public static final String CLASSIFIER =
      "standardised embeddings, linear layer, Adam lr 0.01, 300 full-batch epochs, L2 1e-3";
  /** Clips embedded at a time (an inference runner batches their windows together). */
  private static final int CLIPS_IN_FLIGHT = 8;

  private FrozenScoring() {}

  /**
   * The outcome.
   *
   * @param folds each fold's metrics
   * @param spread the spread of the first fold's clip embeddings (train and test), null for time-step rows
   */
  public record Result(Score score, List<Map<String, Double>> folds, EmbeddingSpread spread) {}

  /**
   * Scores {@code embed} (a clip to its rows (R, D)) on {@code data} with its own protocol ({@code test}: a
   * held-out set, or null); clips are embedded {@link #CLIPS_IN_FLIGHT} at a time.
   */
  public static Result score(Dataset data, Dataset test, long seed, Function<Clip, float[][]> embed) {
    List<Map<String, Double>> foldMetrics = new ArrayList<>();
    EmbeddingSpread spread = null;
    ExecutorService threads = Executors.newFixedThreadPool(CLIPS_IN_FLIGHT);
    try {
      for (Protocol.Fold fold : Protocol.folds("auto", data, test, seed)) {
        List<float[][]> trainX = embeddings(threads, fold.train(), embed);
        List<float[][]> testX = embeddings(threads, fold.test(), embed);
        float[][] trainY = targets(fold.train());
        if (spread == null && trainX.stream().allMatch(x -> x.length == 1)) {
          List<float[]> all = new ArrayList<>();
          trainX.forEach(x -> all.add(x[0]));
          testX.forEach(x -> all.add(x[0]));
          spread = EmbeddingSpread.of(all.toArray(new float[0][]));
        }
        // every time step (or the one clip embedding) of a clip carries the clip's label
        List<float[]> rowsX = new ArrayList<>();
        List<float[]> rowsY = new ArrayList<>();
        for (int i = 0; i < trainX.size(); i++) {
          for (float[] step : trainX.get(i)) {
            rowsX.add(step);
            rowsY.add(trainY[i]);
          }
        }
        ShallowClassifier c = ShallowClassifier.fit(rowsX.toArray(new float[0][]), rowsY.toArray(new float[0][]),
            data.multiLabel(), 300, 1e-3);
        float[][] clipScores = new float[testX.size()][];
        for (int i = 0; i < testX.size(); i++) {
          clipScores[i] = ShallowClassifier.meanOf(c.scores(testX.get(i)));
        }
        foldMetrics.add(ShallowClassifier.metrics(clipScores, targets(fold.test()), data.multiLabel()));
      }
    } finally {
      threads.shutdownNow();
    }
    return new Result(Score.pooled(foldMetrics), foldMetrics, spread);
  }

  /** Per clip, in order: its embedding rows. */
  private static List<float[][]> embeddings(ExecutorService threads, Dataset data, Function<Clip, float[][]> embed) {
    List<Future<float[][]>> futures = new ArrayList<>();
    for (Clip c : data.clips()) {
      futures.add(threads.submit(() -> embed.apply(c)));
    }
    List<float[][]> out = new ArrayList<>();
    try {
      for (Future<float[][]> f : futures) {
        out.add(f.get());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EarshotException("interrupted while embedding " + data.name(), e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new EarshotException("embedding " + data.name() + " failed: " + e.getCause(), e.getCause());
    } finally {
      futures.forEach(f -> f.cancel(true));
    }
    return out;
  }

  private static float[][] targets(Dataset data) {
    float[][] y = new float[data.size()][];
    for (int i = 0; i < data.size(); i++) {
      y[i] = data.target(data.clips().get(i));
    }
    return y;
  }
}
