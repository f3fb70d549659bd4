package dev.earshot.recipe;

import dev.earshot.tensor.Execution;
import dev.earshot.tensor.World;
import dev.earshot.train.DataParallel;
import dev.earshot.tensor.TensorScope;
import dev.earshot.ConfigException;
import dev.earshot.audio.AudioLoader;
import dev.earshot.data.Augmentation;
import dev.earshot.data.BatchLoader;
import dev.earshot.data.Dataset;
import dev.earshot.data.FeatureSource;
import dev.earshot.data.Sampler;
import dev.earshot.features.FbankConfig;
import dev.earshot.features.FrontEnd;
import dev.earshot.features.Normalization;
import dev.earshot.io.HostTensor;
import dev.earshot.io.Json;
import dev.earshot.model.Encoder;
import dev.earshot.model.ModelDirectory;
import dev.earshot.model.ModelRegistry;
import dev.earshot.model.OutputActivation;
import dev.earshot.model.PretrainedSpec;
import dev.earshot.model.Provenance;
import dev.earshot.model.Readout;
import dev.earshot.pretrain.Export;
import dev.earshot.pretrain.MethodContext;
import dev.earshot.pretrain.MethodSetup;
import dev.earshot.pretrain.PretrainingMethod;
import dev.earshot.io.AtomicFile;
import dev.earshot.train.AdamW;
import dev.earshot.train.MetricsLog;
import dev.earshot.train.Objective;
import dev.earshot.train.ParamGroups;
import dev.earshot.train.Trainer;
import dev.earshot.train.TrainerConfig;
import dev.earshot.train.TrainingListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a pretraining recipe on unlabelled audio: builds the model and the objective of the recipe's
 * {@link PretrainingMethod}, trains (or resumes) with checkpoints in {@code RUN/checkpoint}, and exports the
 * method's encoders as earshot model directories ({@code RUN/model} first) for fine-tuning, embedding and
 * evaluation. Nothing here depends on which method runs.
 */
public final class Pretraining {
  private Pretraining() {}

  /**
   * Where things were written, the metrics, how long training took, and what the model saw per clip.
   *
   * @param inputSummary e.g. "72 of 96 patches masked" (the method's own words)
   */
  public record Result(Path runDir, Path modelDir, MetricsLog log, String inputSummary, double seconds,
      List<String> skipped) {}

  /**
   * @param init an earshot model directory to start the encoder from, or null for random weights
   * @param featureCache folder for cached filterbanks, or null
   */
  public static Result run(PretrainRecipe recipe, Dataset data, Path runDir, Path init, boolean resume,
      Path featureCache, TrainingListener listener) {
    return run(recipe, data, runDir, init, resume, featureCache, listener, Execution.CPU);
  }

  /** As above, on {@code execution}'s device and precision. */
  public static Result run(PretrainRecipe recipe, Dataset data, Path runDir, Path init, boolean resume,
      Path featureCache, TrainingListener listener, Execution execution) {
    return run(recipe, recipe.pretrainingMethod(), data, runDir, init, resume, featureCache, listener, execution);
  }

  private static <S> Result run(PretrainRecipe recipe, PretrainingMethod<S> method, Dataset data, Path runDir,
      Path init, boolean resume, Path featureCache, TrainingListener listener, Execution execution) {
    S settings = recipe.settings(method);
    int frames = recipe.framesOr(1024);
    long seed = recipe.seed() == null ? 0 : recipe.seed();
    int rate = recipe.sampleRateOrDefault();
    FbankConfig fbank = FbankConfig.ast(rate);
    AudioLoader loader = new AudioLoader(rate, AudioLoader.DEFAULT.mixdown());
    Normalization norm = NormalizationChoice.resolve(recipe.normalization(), data, frames,
        method.profile().defaultNormalization(), loader, fbank);
    FeatureSource source = new FeatureSource(new FrontEnd(loader, fbank, norm, frames), featureCache);
    int modelFrames = method.modelFrames(settings, frames);
    requireFamily(method, recipe.model());
    long steps = recipe.stepsOrDefault();
    long start = System.nanoTime();
    World world = execution.world();
    try (TensorScope manager = execution.checkAvailable().newBaseScope();
        DataParallel parallel = world.isDistributed() ? DataParallel.join(world) : null) {
      Map<String, HostTensor> initWeights = init == null ? null : ModelDirectory.readWeights(init);
      MethodSetup setup = method.setup(settings, new MethodContext(recipe.model(), modelFrames, steps, seed,
          recipe.weightDecayOrDefault(), manager, initWeights, init));
      Objective objective = setup.objective();
      AdamW optimizer = new AdamW(manager, ParamGroups.build(objective.trainable(), recipe.weightDecayOrDefault(), 1,
          setup.student().depth(), true), recipe.optimizerSettings());
      TrainerConfig tc = new TrainerConfig(steps, recipe.accumulation() == null ? 1 : recipe.accumulation(),
          recipe.clipNorm() == null ? 0 : recipe.clipNorm(), recipe.checkpointEvery() == null ? 1000 : recipe.checkpointEvery(),
          recipe.logEvery() == null ? 10 : recipe.logEvery(), seed, Boolean.TRUE.equals(recipe.clipPerParameter()));
      Map<String, Object> description = new LinkedHashMap<>(recipe.toMap());
      // how the exported encoder is read is not part of the training: a resumed run may choose another readout
      description.remove("readout");
      description.put("title", method.name() + " pretraining (" + recipe.model() + ")");
      description.put("normalization", List.of(norm.mean(), norm.std()));
      String dataText = data.name() + " (" + data.size() + " clips)";
      description.put("data", dataText);
      Provenance provenance = Provenance.of("pretraining", recipe.toMap(), seed, dataText, steps);
      PretrainedSpec spec = new PretrainedSpec(rate, loader.mixdown(), fbank, norm, modelFrames, List.of(),
          OutputActivation.SOFTMAX, null);
      List<Export> exports = method.exports(settings);
      MetricsLog log;
      List<String> skipped;
      try (BatchLoader batches = new BatchLoader(data, source, new Sampler.Shuffled(data.size(), seed),
          recipe.batchSizeOrDefault(), seed,
          recipe.randomCropOrDefault() ? Augmentation.RANDOM_CROP : Augmentation.NONE,
          recipe.workers() == null ? 2 : recipe.workers(), 4,
          new BatchLoader.Shard(world.rank(), world.size()))) {
        TrainingListener withSnapshots = !Boolean.TRUE.equals(recipe.snapshots()) ? listener : new TrainingListener() {
          @Override
          public void onStart(long done, long total) {
            listener.onStart(done, total);
          }

          @Override
          public void onStep(long done, long total, double lr, Map<String, Double> metrics) {
            listener.onStep(done, total, lr, metrics);
          }

          @Override
          public void onCheckpoint(long done, Path checkpoint) {
            Export first = exports.get(0);
            export(setup.encoders().get(first.role()), spec.withSource(method.name() + " pretraining ("
                + first.description() + ") at step " + done + ", " + runDir.getFileName()),
                provenance.atStep(done), recipe.readout(), runDir.resolve("snapshots").resolve("step-" + done));
            listener.onCheckpoint(done, checkpoint);
          }
        };
        log = new Trainer(objective, batches, optimizer, recipe.lrSchedule(), tc, runDir, description, withSnapshots,
            execution).dataParallel(parallel).run(resume);
        skipped = world.isLeader() ? recordSkipped(runDir, batches.skipped()) : batches.skipped();
      }
      for (Export export : world.isLeader() ? exports : List.<Export>of()) { // worker 0 writes the models
        export(setup.encoders().get(export.role()), spec.withSource(method.name() + " pretraining ("
            + export.description() + "), " + runDir.getFileName()), provenance, recipe.readout(),
            runDir.resolve(export.folder()));
      }
      return new Result(runDir, runDir.resolve(Export.MAIN), log, setup.inputSummary(),
          (System.nanoTime() - start) / 1e9, skipped);
    }
  }

  /** A MAST model for a multiscale method, a ViT-family one otherwise. */
  private static void requireFamily(PretrainingMethod<?> method, String model) {
    boolean multiscale = method.profile().family().multiscale();
    if (multiscale != ModelRegistry.isMultiscale(model)) {
      throw new ConfigException("model: " + (multiscale ? method.profile().displayName() + " pretrains a MAST model (mast-*)"
          : method.name() + " pretrains the ViT family, not a MAST model") + ", got '" + model + "'");
    }
  }

  /**
   * Lists the clips skipped by this run (and by the runs it resumed) in {@code RUN/skipped.txt}, one
   * "FILE: reason" per line; returns the list.
   */
  static List<String> recordSkipped(Path runDir, List<String> skipped) {
    Path file = runDir.resolve("skipped.txt");
    java.util.LinkedHashSet<String> all = new java.util.LinkedHashSet<>();
    try {
      if (Files.isRegularFile(file)) {
        all.addAll(Files.readAllLines(file, java.nio.charset.StandardCharsets.UTF_8));
      }
      all.addAll(skipped);
      all.removeIf(String::isBlank);
      if (!all.isEmpty()) {
        AtomicFile.writeLines(file, List.copyOf(all));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return List.copyOf(all);
  }

  /** Writes an encoder as a model directory, without its training-time regularisation, with its readout. */
  private static void export(Encoder encoder, PretrainedSpec spec, Provenance provenance, Readout readout, Path dir) {
    try {
      ModelDirectory.export(dir, encoder, spec, provenance, readout);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A recipe record's keys and values (nulls included), as stored with results. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> describe(Object recipe) {
    return Json.convert(recipe, LinkedHashMap.class);
  }
}
