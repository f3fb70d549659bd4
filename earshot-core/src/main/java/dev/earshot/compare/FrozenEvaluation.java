package dev.earshot.compare;

import dev.earshot.tensor.TensorScope;
import dev.earshot.data.Clip;
import dev.earshot.data.Dataset;
import dev.earshot.data.FeatureSource;
import dev.earshot.eval.ShallowClassifier;
import dev.earshot.features.Normalization;
import dev.earshot.infer.AudioEmbedder;
import dev.earshot.model.InputLength;
import dev.earshot.model.ModelDirectory;
import dev.earshot.model.ModelRegistry;
import dev.earshot.model.OutputActivation;
import dev.earshot.model.PretrainedSpec;
import dev.earshot.model.Provenance;
import dev.earshot.recipe.Protocol;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Frozen embeddings and a shallow classifier per fold, HEAR style, each result cached in its folder. Clip level:
 * the encoder's clip embedding. Timestamp level: the per-time-step embeddings (patches averaged over frequency);
 * the classifier is trained on every time step with its clip's label and a clip's score is the mean of its time
 * steps' scores — our formats carry clip labels only, so this is how timestamp embeddings are judged here.
 */
final class FrozenEvaluation {
  private final Plan plan;
  private final Normalization pool;
  private final ResultCache cache;

  FrozenEvaluation(Plan plan, Normalization pool, ResultCache cache) {
    this.plan = plan;
    this.pool = pool;
    this.cache = cache;
  }

  /**
   * The score of {@code init}'s encoder on {@code task}, cached in {@code dir}.
   *
   * @param row the row's name (where a length-adapted encoder is kept)
   * @param frames per time step (true) or per clip (false)
   */
  Score run(Init init, String row, TaskData task, boolean frames, Path dir) {
    if (ResultCache.done(dir)) {
      return ResultCache.frozenScore(dir, task.frames());
    }
    Path encoder = encoder(init, row, task);
    Dataset data = task.train();
    List<Map<String, Double>> foldMetrics = new ArrayList<>();
    try (AudioEmbedder embedder = AudioEmbedder.open(encoder)) {
      FeatureSource source = new FeatureSource(embedder.spec().frontEnd(), null);
      for (Protocol.Fold fold : Protocol.folds("auto", data, task.test().orElse(null), plan.seed())) {
        List<float[][]> trainX = embeddings(embedder, source, fold.train(), frames);
        List<float[][]> testX = embeddings(embedder, source, fold.test(), frames);
        float[][] trainY = targets(fold.train());
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
    }
    Score s = Score.pooled(foldMetrics);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("encoder", encoder.toString());
    out.put("frames", task.frames());
    out.put("embeddings", frames ? "per time step (patches averaged over frequency), clip score = mean of steps"
        : "clip embedding");
    out.put("classifier", "standardised embeddings, linear layer, Adam lr 0.01, 300 full-batch epochs, L2 1e-3");
    out.put("folds", foldMetrics);
    out.put("summary", Map.of(s.metric(), new double[] {s.mean(), s.std()}));
    ResultCache.saveFrozen(dir, out);
    return s;
  }

  /**
   * The model directory to embed with: the initial model (a random one of the architecture for scratch, written
   * once at the comparison's length), rebuilt for the task's length when that differs.
   */
  private Path encoder(Init init, String row, TaskData task) {
    try {
      Path dir = init instanceof Init.FromModel m ? m.dir() : randomEncoder(init.model(), task.name());
      if (ModelDirectory.readManifest(dir).inputFrames() == task.frames()) {
        return dir;
      }
      Path adapted = cache.encoderAt(task.name(), row, dir.getFileName().toString(), task.frames());
      if (!Files.exists(adapted.resolve(ModelDirectory.MANIFEST))) {
        InputLength.write(dir, task.frames(), adapted);
      }
      return adapted;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A randomly initialised encoder of {@code model}, written as a model directory (the frozen baseline). */
  Path randomEncoder(String model, String task) throws IOException {
    Path dir = cache.randomEncoder(task, model);
    if (!Files.exists(dir.resolve(ModelDirectory.MANIFEST))) {
      PretrainedSpec spec = PretrainedSpec.ast(pool, plan.frames(), List.of(), OutputActivation.SOFTMAX,
          "random initialisation (seed " + plan.seed() + ")");
      try (TensorScope m = TensorScope.newBaseScope()) {
        ModelDirectory.write(dir, ModelRegistry.encoder(model, plan.frames(), 0, m, plan.seed()), spec,
            Provenance.of("random initialisation", null, plan.seed(), null, 0L));
      }
    }
    return dir;
  }

  /** Per clip: its clip embedding as a single row (1, D), or its per-time-step embeddings (T', D). */
  private static List<float[][]> embeddings(AudioEmbedder embedder, FeatureSource source, Dataset data,
      boolean frames) {
    List<float[][]> out = new ArrayList<>();
    if (frames) {
      for (Clip c : data.clips()) {
        out.add(embedder.embedTokensOfFeatures(source.features(c)).perTimeStep());
      }
      return out;
    }
    List<float[][]> features = new ArrayList<>();
    for (Clip c : data.clips()) {
      features.add(source.features(c));
    }
    for (float[] v : embedder.embedAll(features)) {
      out.add(new float[][] {v});
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
