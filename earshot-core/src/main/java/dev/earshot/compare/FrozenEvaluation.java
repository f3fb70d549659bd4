package dev.earshot.compare;

import dev.earshot.audio.AudioLoader;
import dev.earshot.data.Clip;
import dev.earshot.features.FbankConfig;
import dev.earshot.features.KaldiFbank;
import dev.earshot.features.LogMelStatistics;
import dev.earshot.features.Normalization;
import dev.earshot.infer.Aggregation;
import dev.earshot.infer.AudioEmbedder;
import dev.earshot.model.InputLength;
import dev.earshot.model.ModelDirectory;
import dev.earshot.model.ModelRegistry;
import dev.earshot.model.OutputActivation;
import dev.earshot.model.PretrainedSpec;
import dev.earshot.model.Provenance;
import dev.earshot.tensor.TensorScope;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Frozen embeddings and a shallow classifier per fold, HEAR style ({@link FrozenScoring}), each result cached in
 * its folder. Clips are
 * embedded whole, as {@code earshot embed} does: windows of the encoder's input length (the task's length where it
 * sets one), half a window apart. Clip level: the mean of the windows' clip embeddings (the model's readout).
 * Timestamp level: the per-time-step embeddings (patches averaged over frequency) stitched across windows; the
 * classifier is trained on every time step with its clip's label and a clip's score is the mean of its time steps'
 * scores — our formats carry clip labels only, so this is how timestamp embeddings are judged here. The
 * log-mel-statistics baseline goes through the same classifier.
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
    Path source = source(init, task);
    Path encoder = encoder(source, row, task);
    String embeddings = frames ? "per time step (patches averaged over frequency), stitched across windows of "
        + task.frames() + " frames; clip score = mean of steps"
        : "clip embedding: the model's readout, mean over windows of " + task.frames()
            + " frames (half a window apart, the last one ending at the clip's end)";
    CachedInputs inputs = CachedInputs.of("frames", Integer.toString(task.frames()),
        "encoder weights", CachedInputs.weightsDigest(source),
        "readout", ModelDirectory.readManifest(encoder).readoutOrDefault().describe(),
        "embeddings", embeddings, "classifier", FrozenScoring.CLASSIFIER);
    if (ResultCache.done(dir)) {
      inputs.requireSameAs(dir);
      return ResultCache.frozenScore(dir, task.frames());
    }
    inputs.write(dir);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("encoder", encoder.toString());
    out.put("frames", task.frames());
    out.put("embeddings", embeddings);
    try (AudioEmbedder embedder = AudioEmbedder.open(encoder)) {
      out.put("readout", embedder.readout().describe());
      return score(task, dir, out, clip -> frames
          ? embedder.embedTimeSteps(clip.file(), embedder.defaultWindows()).embeddings()
          : new float[][] {embedder.embedWindows(clip.file(), embedder.defaultWindows(), Aggregation.MEAN)
              .aggregate()});
    }
  }

  /** The log-mel-statistics baseline on {@code task}: the whole clip's filterbank, 16 kHz AST front end. */
  Score baseline(TaskData task, Path dir) {
    String embeddings = "log-mel statistics: per mel band (128, AST filterbank at 16 kHz) the mean and the standard"
        + " deviation over every frame of the whole clip (256 values)";
    CachedInputs inputs = CachedInputs.of("embeddings", embeddings, "classifier", FrozenScoring.CLASSIFIER);
    if (ResultCache.done(dir)) {
      inputs.requireSameAs(dir);
      return ResultCache.frozenScore(dir, 0);
    }
    inputs.write(dir);
    KaldiFbank fbank = new KaldiFbank(FbankConfig.ast());
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("encoder", "none");
    out.put("frames", 0);
    out.put("embeddings", embeddings);
    return score(task, dir, out, clip -> new float[][] {LogMelStatistics.of(fbank.compute(
        AudioLoader.DEFAULT.load(clip.file()).samples()))});
  }

  private Score score(TaskData task, Path dir, Map<String, Object> out, Function<Clip, float[][]> embed) {
    FrozenScoring.Result r = FrozenScoring.score(task.train(), task.test().orElse(null), plan.seed(), embed);
    out.put("classifier", FrozenScoring.CLASSIFIER);
    out.put("folds", r.folds());
    if (r.spread() != null) {
      out.put("spread", r.spread()); // of the first fold's clip embeddings, train and test
    }
    out.put("summary", Map.of(r.score().metric(), new double[] {r.score().mean(), r.score().std()}));
    ResultCache.saveFrozen(dir, out);
    return r.score();
  }

  /** The initial model: the model directory, or a random one of the architecture for scratch. */
  private Path source(Init init, TaskData task) {
    try {
      return init instanceof Init.FromModel m ? m.dir() : randomEncoder((Init.Scratch) init, task.name());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The model directory to embed with: {@code source}, rebuilt for the task's length when that differs (kept,
   * and rebuilt when {@code source} has changed since).
   */
  private Path encoder(Path source, String row, TaskData task) {
    try {
      if (ModelDirectory.readManifest(source).inputFrames() == task.frames()) {
        return source;
      }
      Path adapted = cache.encoderAt(task.name(), row, source.getFileName().toString(), task.frames());
      CachedInputs from = CachedInputs.of("source weights", CachedInputs.weightsDigest(source),
          "source readout", ModelDirectory.readManifest(source).readoutOrDefault().describe());
      if (!Files.exists(adapted.resolve(ModelDirectory.MANIFEST)) || !from.matches(adapted)) {
        InputLength.write(source, task.frames(), adapted);
        from.write(adapted);
      }
      return adapted;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A randomly initialised encoder of {@code init}'s architecture as a model directory (the frozen baseline),
   * written once and rewritten when the architecture's length, readout, seed or normalisation has changed.
   */
  Path randomEncoder(Init.Scratch init, String task) throws IOException {
    Path dir = cache.randomEncoder(task, init.model());
    CachedInputs inputs = CachedInputs.of("model", init.model(), "frames", Integer.toString(init.frames()),
        "readout", String.valueOf(init.readout()), "seed", Long.toString(plan.seed()),
        "normalization", pool.mean() + "," + pool.std());
    if (!Files.exists(dir.resolve(ModelDirectory.MANIFEST)) || !inputs.matches(dir)) {
      PretrainedSpec spec = PretrainedSpec.ast(pool, init.frames(), List.of(), OutputActivation.SOFTMAX,
          "random initialisation (seed " + plan.seed() + ")");
      try (TensorScope m = TensorScope.newBaseScope()) {
        ModelDirectory.export(dir, ModelRegistry.encoder(init.model(), init.frames(), 0, m, plan.seed()), spec,
            Provenance.of("random initialisation", null, plan.seed(), null, 0L), init.readout());
      }
      inputs.write(dir); // after the model: an interrupted export is redone
    }
    return dir;
  }
}
