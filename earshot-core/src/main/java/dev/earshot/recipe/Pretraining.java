package dev.earshot.recipe;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import dev.earshot.model.AudioTransformer;
import dev.earshot.model.AudioTransformerConfig;
import dev.earshot.model.Encoder;
import dev.earshot.model.ModelDirectory;
import dev.earshot.model.ModelRegistry;
import dev.earshot.model.OutputActivation;
import dev.earshot.model.PretrainedSpec;
import dev.earshot.model.mast.MultiscaleConfig;
import dev.earshot.model.mast.MultiscaleTransformer;
import dev.earshot.nn.NormPlacement;
import dev.earshot.nn.StateDict;
import dev.earshot.nn.WeightTransfer;
import dev.earshot.io.AtomicFile;
import dev.earshot.io.HostTensor;
import dev.earshot.pretrain.asit.AsitConfig;
import dev.earshot.pretrain.asit.AsitObjective;
import dev.earshot.pretrain.asit.AsitPipeline;
import dev.earshot.pretrain.eat.EatConfig;
import dev.earshot.pretrain.eat.EatDecoder;
import dev.earshot.pretrain.eat.EatObjective;
import dev.earshot.pretrain.ssast.SsastHeads;
import dev.earshot.pretrain.ssmast.SsmastConfig;
import dev.earshot.pretrain.ssmast.SsmastNetwork;
import dev.earshot.pretrain.ssmast.SsmastObjective;
import dev.earshot.pretrain.ssast.SsastObjective;
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
import java.util.SplittableRandom;

/**
 * Runs a pretraining recipe on unlabelled audio: builds the model and the method's objective, trains (or
 * resumes) with checkpoints in {@code RUN/checkpoint}, and exports the encoder as an earshot model directory
 * {@code RUN/model} for fine-tuning, embedding and evaluation.
 */
public final class Pretraining {
  private Pretraining() {}

  /** Where things were written, the metrics, and how long training took. */
  public record Result(Path runDir, Path modelDir, MetricsLog log, AudioTransformerConfig config, double seconds,
      List<String> skipped) {}

  /**
   * @param init an earshot model directory to start the encoder from, or null for random weights
   * @param featureCache folder for cached filterbanks, or null
   */
  public static Result run(PretrainRecipe recipe, Dataset data, Path runDir, Path init, boolean resume,
      Path featureCache, TrainingListener listener) {
    int frames = recipe.framesOr(1024);
    long seed = recipe.seed() == null ? 0 : recipe.seed();
    int rate = recipe.sampleRateOrDefault();
    FbankConfig fbank = FbankConfig.ast(rate);
    AudioLoader loader = new AudioLoader(rate, AudioLoader.DEFAULT.mixdown());
    Normalization norm = NormalizationChoice.resolve(recipe.normalization(), data, frames,
        recipe.method().equals("eat") ? Normalization.EAT_AUDIOSET : Normalization.AUDIOSET, loader, fbank);
    FrontEnd frontEnd = new FrontEnd(loader, fbank, norm, frames);
    FeatureSource source = new FeatureSource(frontEnd, featureCache);
    // ASiT's and SS-MAST's models see crops of the clips; the other methods see the clips
    int modelFrames = switch (recipe.method()) {
      case "asit" -> recipe.asit().cropFramesOrDefault();
      case "ssmast" -> recipe.ssmast().cropFramesOr(frames);
      default -> frames;
    };
    boolean multiscale = recipe.method().equals("ssmast");
    if (multiscale != ModelRegistry.isMultiscale(recipe.model())) {
      throw new ConfigException("model: " + (multiscale ? "SS-MAST pretrains a MAST model (mast-*)"
          : recipe.method() + " pretrains the ViT family, not a MAST model") + ", got '" + recipe.model() + "'");
    }
    AudioTransformerConfig config = multiscale ? null : ModelRegistry.get(recipe.model(), modelFrames, 0);
    MultiscaleConfig mast = multiscale ? ModelRegistry.multiscale(recipe.model(), modelFrames, 0) : null;
    int depth = multiscale ? java.util.Arrays.stream(mast.depths()).sum() : config.depth();
    long steps = recipe.stepsOrDefault();
    long start = System.nanoTime();
    try (NDManager manager = NDManager.newBaseManager()) {
      Map<String, HostTensor> initWeights = init == null ? null : ModelDirectory.readWeights(init);
      Setup setup = multiscale ? ssmast(recipe, mast, manager, seed, initWeights, init)
          : setup(recipe, config, manager, seed, steps, initWeights, init);
      Objective objective = setup.objective();
      AdamW optimizer = new AdamW(manager, ParamGroups.build(objective.trainable(), weightDecay(recipe), 1, depth, true),
          recipe.optimizerSettings());
      TrainerConfig tc = new TrainerConfig(steps, recipe.accumulation() == null ? 1 : recipe.accumulation(),
          recipe.clipNorm() == null ? 0 : recipe.clipNorm(), recipe.checkpointEvery() == null ? 1000 : recipe.checkpointEvery(),
          recipe.logEvery() == null ? 10 : recipe.logEvery(), seed, Boolean.TRUE.equals(recipe.clipPerParameter()));
      Map<String, Object> description = new LinkedHashMap<>(describe(recipe));
      description.put("title", recipe.method() + " pretraining (" + recipe.model() + ")");
      description.put("normalization", List.of(norm.mean(), norm.std()));
      description.put("data", data.name() + " (" + data.size() + " clips)");
      MetricsLog log;
      List<String> skipped;
      try (BatchLoader batches = new BatchLoader(data, source, new Sampler.Shuffled(data.size(), seed),
          recipe.batchSizeOrDefault(), seed, Augmentation.NONE, recipe.workers() == null ? 2 : recipe.workers(), 4)) {
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
            Export first = setup.exports().values().iterator().next();
            export(first.encoder(), new PretrainedSpec(rate, loader.mixdown(), fbank, norm, modelFrames, List.of(),
                OutputActivation.SOFTMAX, recipe.method() + " pretraining (" + first.role() + ") at step " + done
                    + ", " + runDir.getFileName()), runDir.resolve("snapshots").resolve("step-" + done));
            listener.onCheckpoint(done, checkpoint);
          }
        };
        log = new Trainer(objective, batches, optimizer, recipe.lrSchedule(), tc, runDir, description, withSnapshots)
            .run(resume);
        skipped = recordSkipped(runDir, batches.skipped());
      }
      Path modelDir = runDir.resolve("model");
      for (Map.Entry<String, Export> export : setup.exports().entrySet()) {
        Encoder encoder = export.getValue().encoder();
        PretrainedSpec spec = new PretrainedSpec(rate, loader.mixdown(), fbank, norm, modelFrames, List.of(),
            OutputActivation.SOFTMAX,
            recipe.method() + " pretraining (" + export.getValue().role() + "), " + runDir.getFileName());
        export(encoder, spec, runDir.resolve(export.getKey()));
      }
      return new Result(runDir, modelDir, log, config, (System.nanoTime() - start) / 1e9, skipped);
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

  /** Writes an encoder as a model directory, without its training-time regularisation. */
  private static void export(Encoder encoder, PretrainedSpec spec, Path dir) {
    try {
      if (encoder instanceof MultiscaleTransformer m) {
        ModelDirectory.write(dir, m.config().withDropPath(0), spec, StateDict.of(m));
      } else {
        ModelDirectory.write(dir, ((AudioTransformer) encoder).config().withRegularisation(0, 0, 0), spec,
            StateDict.of(encoder));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A method's objective and the encoders written at the end, by folder name ("model" first). */
  private record Setup(Objective objective, Map<String, Export> exports) {}

  /** An encoder written at the end and what it is. */
  private record Export(Encoder encoder, String role) {}

  private static Setup ssmast(PretrainRecipe recipe, MultiscaleConfig c, NDManager manager, long seed,
      Map<String, HostTensor> init, Path initDir) {
    SsmastConfig cfg = recipe.ssmast().toConfig(c.frames());
    SsmastNetwork student = new SsmastNetwork(manager, c, cfg.projectionDim(), seed);
    if (init != null) {
      WeightTransfer.load(student.encoder(), init, k -> k.startsWith("head."), initDir);
    }
    SsmastObjective objective = new SsmastObjective(student, new SsmastNetwork(manager, c, cfg.projectionDim(),
        seed + 2), cfg, seed);
    Map<String, Export> exports = new LinkedHashMap<>();
    exports.put("model", new Export(student.encoder(), "student (query) encoder"));
    exports.put("model-teacher", new Export(objective.teacherModel().encoder(), "momentum (key) encoder"));
    return new Setup(objective, exports);
  }

  private static Setup setup(PretrainRecipe recipe, AudioTransformerConfig c, NDManager manager, long seed, long steps,
      Map<String, HostTensor> init, Path initDir) {
    switch (recipe.method()) {
      case "asit": {
        AsitRecipe r = recipe.asit();
        AsitConfig asit = r.toConfig(steps);
        requireLayout(recipe, c, NormPlacement.PRE_LN, "the pre-LN ViT with one CLS token (vit-*)");
        AsitPipeline student = new AsitPipeline(manager, c.withRegularisation(0, 0, r.dropPathOrDefault()), asit, seed);
        if (init != null) {
          WeightTransfer.load(student.backbone(), init, k -> k.startsWith("head."), initDir);
        }
        AsitObjective objective = new AsitObjective(student, new AsitPipeline(manager, c, asit, seed + 2), asit, steps,
            weightDecay(recipe), seed);
        Map<String, Export> exports = new LinkedHashMap<>();
        Export teacherBackbone = new Export(objective.teacherModel().backbone(), "EMA teacher backbone");
        Export studentBackbone = new Export(student.backbone(), "student backbone");
        boolean teacher = r.exportTeacher();
        exports.put("model", teacher ? teacherBackbone : studentBackbone);
        exports.put(teacher ? "model-student" : "model-teacher", teacher ? studentBackbone : teacherBackbone);
        return new Setup(objective, exports);
      }
      case "eat": {
        EatConfig eat = recipe.eat().toConfig(c.depth());
        requireLayout(recipe, c, NormPlacement.POST_LN, "the post-LN EAT encoder with one CLS token (eat-*)");
        AudioTransformer encoder = encoder(manager, c, seed, init, initDir);
        EatDecoder decoder = new EatDecoder(manager, c.embedDim(), eat.decoderLayers(), eat.decoderKernel(),
            eat.decoderGroups(), new SplittableRandom(seed + 1));
        return new Setup(new EatObjective(encoder, new AudioTransformer(manager, c, seed + 2), decoder, eat, seed),
            Map.of("model", new Export(encoder, "student encoder")));
      }
      default: {
        AudioTransformer encoder = encoder(manager, c, seed, init, initDir);
        SsastHeads heads = new SsastHeads(manager, c.embedDim(), c.grid().patchSize(), new SplittableRandom(seed + 1));
        return new Setup(new SsastObjective(encoder, heads, recipe.ssast().toConfig(c.grid()), seed),
            Map.of("model", new Export(encoder, "encoder")));
      }
    }
  }

  /** The optimizer's (initial) weight decay: the recipe's, else 0.04 for ASiT (its cosine's start) or 0.01. */
  private static double weightDecay(PretrainRecipe recipe) {
    if (recipe.weightDecay() != null) {
      return recipe.weightDecay();
    }
    return recipe.method().equals("asit") ? 0.04 : 0.01;
  }

  private static AudioTransformer encoder(NDManager manager, AudioTransformerConfig c, long seed,
      Map<String, HostTensor> init, Path initDir) {
    AudioTransformer encoder = new AudioTransformer(manager, c, seed);
    if (init != null) {
      WeightTransfer.load(encoder, init, k -> k.startsWith("head."), initDir);
    }
    return encoder;
  }

  private static void requireLayout(PretrainRecipe recipe, AudioTransformerConfig c, NormPlacement placement,
      String what) {
    if (c.normPlacement() != placement || c.specialTokens() != 1) {
      throw new ConfigException("model: " + recipe.method() + " pretrains " + what + ", not '" + recipe.model() + "'");
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> describe(Object recipe) {
    return new ObjectMapper().convertValue(recipe, LinkedHashMap.class);
  }
}
