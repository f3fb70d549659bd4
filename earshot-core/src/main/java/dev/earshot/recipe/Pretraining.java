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
import dev.earshot.model.ModelDirectory;
import dev.earshot.model.ModelRegistry;
import dev.earshot.model.OutputActivation;
import dev.earshot.model.PretrainedSpec;
import dev.earshot.nn.NormPlacement;
import dev.earshot.nn.StateDict;
import dev.earshot.nn.WeightTransfer;
import dev.earshot.pretrain.eat.EatConfig;
import dev.earshot.pretrain.eat.EatDecoder;
import dev.earshot.pretrain.eat.EatObjective;
import dev.earshot.pretrain.ssast.SsastHeads;
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
    Normalization norm = NormalizationChoice.resolve(recipe.normalization(), data, frames,
        recipe.method().equals("eat") ? Normalization.EAT_AUDIOSET : Normalization.AUDIOSET);
    FrontEnd frontEnd = new FrontEnd(AudioLoader.DEFAULT, FbankConfig.ast(), norm, frames);
    FeatureSource source = new FeatureSource(frontEnd, featureCache);
    AudioTransformerConfig config = ModelRegistry.get(recipe.model(), frames, 0);
    long start = System.nanoTime();
    try (NDManager manager = NDManager.newBaseManager()) {
      AudioTransformer encoder = new AudioTransformer(manager, config, seed);
      if (init != null) {
        WeightTransfer.load(encoder, ModelDirectory.readWeights(init), k -> k.startsWith("head."), init);
      }
      Objective objective = objective(recipe, encoder, manager, seed);
      AdamW optimizer = new AdamW(manager, ParamGroups.build(objective.trainable(),
          recipe.weightDecay() == null ? 0.01 : recipe.weightDecay(), 1, config.depth(), true),
          recipe.optimizerSettings());
      long steps = recipe.stepsOrDefault();
      TrainerConfig tc = new TrainerConfig(steps, recipe.accumulation() == null ? 1 : recipe.accumulation(),
          recipe.clipNorm() == null ? 0 : recipe.clipNorm(), recipe.checkpointEvery() == null ? 1000 : recipe.checkpointEvery(),
          recipe.logEvery() == null ? 10 : recipe.logEvery(), seed);
      Map<String, Object> description = new LinkedHashMap<>(describe(recipe));
      description.put("title", recipe.method() + " pretraining (" + recipe.model() + ")");
      description.put("normalization", List.of(norm.mean(), norm.std()));
      description.put("data", data.name() + " (" + data.size() + " clips)");
      MetricsLog log;
      List<String> skipped;
      try (BatchLoader loader = new BatchLoader(data, source, new Sampler.Shuffled(data.size(), seed),
          recipe.batchSizeOrDefault(), seed, Augmentation.NONE, recipe.workers() == null ? 2 : recipe.workers(), 4)) {
        log = new Trainer(objective, loader, optimizer, recipe.lrSchedule(), tc, runDir, description, listener).run(resume);
        skipped = loader.skipped();
      }
      Path modelDir = runDir.resolve("model");
      ModelDirectory.write(modelDir, config, new PretrainedSpec(16000, frontEnd.loader().mixdown(), FbankConfig.ast(),
          norm, frames, List.of(), OutputActivation.SOFTMAX, recipe.method() + " pretraining, " + runDir.getFileName()),
          StateDict.of(encoder));
      return new Result(runDir, modelDir, log, config, (System.nanoTime() - start) / 1e9, skipped);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Objective objective(PretrainRecipe recipe, AudioTransformer encoder, NDManager manager, long seed) {
    AudioTransformerConfig c = encoder.config();
    if (recipe.method().equals("eat")) {
      EatConfig eat = recipe.eat().toConfig(c.depth());
      if (c.normPlacement() != NormPlacement.POST_LN || c.specialTokens() != 1) {
        throw new ConfigException("model: EAT pretrains the post-LN EAT encoder with one CLS token (eat-*), not '"
            + recipe.model() + "'");
      }
      EatDecoder decoder = new EatDecoder(manager, c.embedDim(), eat.decoderLayers(), eat.decoderKernel(),
          eat.decoderGroups(), new SplittableRandom(seed + 1));
      return new EatObjective(encoder, new AudioTransformer(manager, c, seed + 2), decoder, eat, seed);
    }
    SsastHeads heads = new SsastHeads(manager, c.embedDim(), c.grid().patchSize(), new SplittableRandom(seed + 1));
    return new SsastObjective(encoder, heads, recipe.ssast().toConfig(c.grid()), seed);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> describe(Object recipe) {
    return new ObjectMapper().convertValue(recipe, LinkedHashMap.class);
  }
}
