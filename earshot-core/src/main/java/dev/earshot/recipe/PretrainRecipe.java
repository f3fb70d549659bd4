package dev.earshot.recipe;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.earshot.ConfigException;
import dev.earshot.model.Readout;
import dev.earshot.io.Json;
import dev.earshot.pretrain.PretrainingMethod;
import dev.earshot.train.AdamW;
import dev.earshot.train.CosineSchedule;
import dev.earshot.train.LrSchedule;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A pretraining recipe (YAML under {@code recipes/}, every key overridable from the command line). Null
 * fields take the defaults documented per method.
 *
 * @param method a {@link PretrainingMethods} name
 * @param model a {@link dev.earshot.model.ModelRegistry} name
 * @param frames input length in frames
 * @param normalization a preset name, "auto" (statistics of the pretraining data) or "MEAN,STD"
 * @param steps optimizer updates
 * @param batchSize clips per update
 * @param optimizer adamw (decoupled decay) or adam (coupled L2, as SSAST)
 * @param beta1 Adam beta1
 * @param beta2 Adam beta2
 * @param weightDecay decay (not on biases, norms, tokens, positions)
 * @param lr peak learning rate
 * @param schedule cosine (linear warm-up, cosine to finalLr), staircase (SSAST's warm-up, then halvings), dino
 *     (DINO's per-update cosine with a linear warm-up from 0, ASiT) or constant
 * @param warmupSteps warm-up length
 * @param halvings staircase only: steps at which the rate halves
 * @param clipNorm global gradient-norm limit (0 = none)
 * @param accumulation micro-batches per update
 * @param checkpointEvery updates between checkpoints
 * @param logEvery updates between metric lines
 * @param seed the run's seed
 * @param workers data-loading threads
 * @param finalLr rate at the end of the cosine (default lr / 100)
 * @param sampleRate front-end sampling rate in Hz (default 16000; ASiT's release uses 32000)
 * @param clipPerParameter clip every parameter's gradient on its own (DINO/ASiT) instead of the global norm
 * @param snapshots also export the encoder as a model directory at every checkpoint, to
 *     {@code RUN/snapshots/step-N} (to follow how a representation develops)
 * @param randomCrop clips longer than the input: a random window of each (drawn per example and step), not the
 *     first (default true); shorter clips are padded either way
 * @param readout how the exported encoder's frozen clip embeddings are read (pooling and layers), recorded in its
 *     model.json for {@code embed}; null: the model's pooling of its final output
 * @param settings every registered method's section (the YAML block named after the method), bound to its type,
 *     or its defaults where the recipe has none; not a key of its own ({@link Recipes#pretrain} fills it)
 */
public record PretrainRecipe(String method, String model, Integer frames, String normalization, Long steps,
    Integer batchSize, String optimizer, Double beta1, Double beta2, Double weightDecay, Double lr, String schedule,
    Long warmupSteps, List<Long> halvings, Double clipNorm, Integer accumulation, Long checkpointEvery, Long logEvery,
    Long seed, Integer workers, Double finalLr, Integer sampleRate, Boolean clipPerParameter, Boolean snapshots,
    Boolean randomCrop, Readout readout,
    @JsonIgnore Map<String, Object> settings) {

  public PretrainRecipe {
    if (method == null) {
      throw new ConfigException("method: required (" + String.join(", ", PretrainingMethods.names()) + ")");
    }
    PretrainingMethods.get(method);
    if (model == null) {
      throw new ConfigException("model: required (a registry name such as ssast-base-patch)");
    }
    RecipeRanges.atLeast("frames", frames, 1);
    RecipeRanges.atLeast("steps", steps, 1);
    RecipeRanges.atLeast("batchSize", batchSize, 1);
    RecipeRanges.fraction("beta1", beta1, true);
    RecipeRanges.fraction("beta2", beta2, true);
    RecipeRanges.atLeast("weightDecay", weightDecay, 0);
    RecipeRanges.positive("lr", lr);
    RecipeRanges.atLeast("warmupSteps", warmupSteps, 0);
    RecipeRanges.allAtLeast("halvings", halvings, 1);
    RecipeRanges.atLeast("clipNorm", clipNorm, 0);
    RecipeRanges.atLeast("accumulation", accumulation, 1);
    RecipeRanges.atLeast("checkpointEvery", checkpointEvery, 1);
    RecipeRanges.atLeast("logEvery", logEvery, 1);
    RecipeRanges.atLeast("workers", workers, 0);
    RecipeRanges.atLeast("finalLr", finalLr, 0);
    RecipeRanges.positive("sampleRate", sampleRate);
    Map<String, Object> all = new LinkedHashMap<>();
    for (PretrainingMethod<?> m : PretrainingMethods.all()) {
      Object section = settings == null ? null : settings.get(m.name());
      all.put(m.name(), section == null ? m.profile().defaultSettings() : m.profile().settingsType().cast(section));
    }
    settings = Collections.unmodifiableMap(all);
  }

  /** The recipe's method. */
  public PretrainingMethod<?> pretrainingMethod() {
    return PretrainingMethods.get(method);
  }

  /** {@code m}'s section of this recipe. */
  public <S> S settings(PretrainingMethod<S> m) {
    return m.profile().settingsType().cast(settings.get(m.name()));
  }

  /** The same recipe with these method sections (by method name; absent ones take their defaults). */
  PretrainRecipe withSettings(Map<String, Object> sections) {
    return new PretrainRecipe(method, model, frames, normalization, steps, batchSize, optimizer, beta1, beta2,
        weightDecay, lr, schedule, warmupSteps, halvings, clipNorm, accumulation, checkpointEvery, logEvery, seed,
        workers, finalLr, sampleRate, clipPerParameter, snapshots, randomCrop, readout, sections);
  }

  /** Every key with its value (defaults as null), method sections included: the run's description. */
  @SuppressWarnings("unchecked")
  public Map<String, Object> toMap() {
    Map<String, Object> out = Json.convert(this, LinkedHashMap.class);
    settings.forEach((name, section) -> out.put(name, Json.convert(section, LinkedHashMap.class)));
    return out;
  }

  /** The optimizer's initial weight decay: the recipe's, else the method's default. */
  public double weightDecayOrDefault() {
    return weightDecay != null ? weightDecay : pretrainingMethod().defaultWeightDecay();
  }

  /** Whether long clips are cropped at random positions (the default) or at their start. */
  public boolean randomCropOrDefault() {
    return randomCrop == null || randomCrop;
  }

  public int sampleRateOrDefault() {
    return sampleRate == null ? 16000 : sampleRate;
  }

  public int framesOr(int d) {
    return frames == null ? d : frames;
  }

  public long stepsOrDefault() {
    return steps == null ? 10_000 : steps;
  }

  public int batchSizeOrDefault() {
    return batchSize == null ? 32 : batchSize;
  }

  public AdamW.Settings optimizerSettings() {
    double b1 = beta1 == null ? 0.9 : beta1;
    double b2 = beta2 == null ? 0.999 : beta2;
    return switch (optimizer == null ? "adamw" : optimizer) {
      case "adamw" -> AdamW.Settings.adamW(b1, b2);
      case "adam" -> AdamW.Settings.adam(b1, b2);
      default -> throw new ConfigException("optimizer: 'adamw' or 'adam', got '" + optimizer + "'");
    };
  }

  public LrSchedule lrSchedule() {
    double peak = lr == null ? 1e-4 : lr;
    long total = stepsOrDefault();
    long warm = warmupSteps == null ? Math.min(1000, total / 20) : warmupSteps;
    return switch (schedule == null ? "cosine" : schedule) {
      case "cosine" -> new LrSchedule.WarmupCosine(peak, Math.min(warm, total), total,
          finalLr == null ? peak / 100 : finalLr);
      case "staircase" -> new LrSchedule.StaircaseWarmup(peak, warm, Math.max(1, warm / 20),
          halvings == null ? new long[0] : halvings.stream().mapToLong(Long::longValue).toArray());
      case "constant" -> new LrSchedule.Constant(peak);
      case "dino" -> new LrSchedule.Dino(new CosineSchedule(peak, finalLr == null ? 1e-6 : finalLr, total,
          Math.min(warm, total), 0));
      default -> throw new ConfigException(
          "schedule: 'cosine', 'staircase', 'dino' or 'constant', got '" + schedule + "'");
    };
  }
}
