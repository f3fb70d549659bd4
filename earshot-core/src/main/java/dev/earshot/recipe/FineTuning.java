package dev.earshot.recipe;

import dev.earshot.tensor.Execution;
import dev.earshot.tensor.World;
import dev.earshot.train.DataParallel;
import dev.earshot.tensor.TensorScope;
import dev.earshot.ConfigException;
import dev.earshot.audio.AudioLoader;
import dev.earshot.data.Dataset;
import dev.earshot.data.FeatureSource;
import dev.earshot.eval.FineTuneConfig;
import dev.earshot.eval.FineTuner;
import dev.earshot.eval.Metrics;
import dev.earshot.features.FbankConfig;
import dev.earshot.features.FrontEnd;
import dev.earshot.features.Normalization;
import dev.earshot.io.AtomicFile;
import dev.earshot.io.HostTensor;
import dev.earshot.io.Json;
import dev.earshot.model.AudioTransformer;
import dev.earshot.model.AudioTransformerConfig;
import dev.earshot.model.Encoder;
import dev.earshot.model.InputLength;
import dev.earshot.model.ModelDirectory;
import dev.earshot.model.ModelRegistry;
import dev.earshot.model.mast.MultiscaleConfig;
import dev.earshot.model.MultiscaleTransformer;
import dev.earshot.model.OutputActivation;
import dev.earshot.model.PatchGrid;
import dev.earshot.model.Pooling;
import dev.earshot.model.PretrainedSpec;
import dev.earshot.model.Provenance;
import dev.earshot.nn.StateDict;
import dev.earshot.nn.WeightTransfer;
import dev.earshot.plot.ConfusionMatrixImage;
import dev.earshot.train.TrainingListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Runs a fine-tuning (or linear-probing) recipe under an evaluation {@link Protocol}: one model per fold,
 * initialised from an earshot model directory (pretrained or imported) or from random weights, trained on the
 * fold's training split and evaluated on its test split. Writes per fold the model directory, metric curves
 * and (single-label) a confusion matrix; over all folds {@code results.json} and {@code results.md} with mean
 * and standard deviation.
 */
public final class FineTuning {
  private FineTuning() {}

  /** One fold's outcome; {@code skipped} lists the clips left out, "train: FILE: reason" or "test: ...". */
  public record FoldResult(String name, int trainClips, int testClips, Map<String, Double> metrics, String modelDir,
      List<String> skipped) {}

  /** All folds and the summary (mean, std) of each metric. */
  public record Report(String dataset, String initialisation, String protocol, List<String> classes,
      List<FoldResult> folds, Map<String, double[]> summary, Map<String, Object> recipe) {

    /** A Markdown table of the folds and the summary. */
    public String markdown() {
      List<String> keys = new ArrayList<>(summary.keySet());
      StringBuilder sb = new StringBuilder();
      sb.append("| fold | train | test |");
      keys.forEach(k -> sb.append(' ').append(k).append(" |"));
      sb.append("\n|---|---|---|");
      keys.forEach(k -> sb.append("---|"));
      sb.append('\n');
      for (FoldResult f : folds) {
        sb.append("| ").append(f.name()).append(" | ").append(f.trainClips()).append(" | ").append(f.testClips())
            .append(" |");
        keys.forEach(k -> sb.append(String.format(Locale.ROOT, " %.4f |", f.metrics().get(k))));
        sb.append('\n');
      }
      sb.append("| **mean ± std** | | |");
      keys.forEach(k -> sb.append(String.format(Locale.ROOT, " **%.4f ± %.4f** |", summary.get(k)[0], summary.get(k)[1])));
      sb.append('\n');
      return sb.toString();
    }
  }

  /**
   * @param init earshot model directory to start from, or null with {@code scratchModel}
   * @param scratchModel registry name for training from random weights (when init is null)
   * @param listeners a progress listener per fold name
   */
  public static Report run(FineTuneRecipe recipe, Dataset data, Dataset test, String protocol, Path init,
      String scratchModel, Path outDir, Path featureCache, Function<String, TrainingListener> listeners) {
    return run(recipe, data, test, protocol, init, scratchModel, outDir, featureCache, listeners, Execution.CPU);
  }

  /** As above, on {@code execution}'s device and precision. */
  public static Report run(FineTuneRecipe recipe, Dataset data, Dataset test, String protocol, Path init,
      String scratchModel, Path outDir, Path featureCache, Function<String, TrainingListener> listeners,
      Execution execution) {
    if (data.classes().isEmpty()) {
      throw new ConfigException(data.name() + ": fine-tuning needs labelled data");
    }
    FineTuneConfig ft = recipe.toConfig();
    List<Protocol.Fold> folds = Protocol.folds(protocol, data, test, recipe.seedOrDefault());
    ModelDirectory.Manifest manifest = init == null ? null : ModelDirectory.readManifest(init);
    Map<String, HostTensor> initWeights = init == null ? null : ModelDirectory.readWeights(init);
    int classes = data.classes().size();
    boolean multiscale = manifest != null ? manifest.usesMultiscale() : ModelRegistry.isMultiscale(scratchModel);
    AudioTransformerConfig config = multiscale ? null : configFor(recipe, manifest, scratchModel, classes);
    MultiscaleConfig mast = multiscale ? multiscaleFor(recipe, manifest, scratchModel, classes) : null;
    int frames = multiscale ? mast.frames() : config.grid().inputFrames();
    // the initial model's front end (sampling rate, filterbank, mixdown); the AST front end from scratch
    AudioLoader loader = manifest == null ? AudioLoader.DEFAULT
        : new AudioLoader(manifest.spec().sampleRateHz(), manifest.spec().mixdown());
    FbankConfig fbank = manifest == null ? FbankConfig.ast() : manifest.spec().fbank();
    Normalization norm = NormalizationChoice.resolve(recipe.normalization(), data, frames,
        manifest == null ? null : manifest.spec().normalization(), loader, fbank);
    FrontEnd frontEnd = new FrontEnd(loader, fbank, norm, frames);
    FeatureSource source = new FeatureSource(frontEnd, featureCache);
    Map<String, HostTensor> adapted = initWeights == null || multiscale ? initWeights
        : InputLength.adaptPositions(initWeights, manifest.config(), config);
    List<FoldResult> results = new ArrayList<>();
    World world = execution.world();
    try (TensorScope manager = execution.checkAvailable().newBaseScope();
        DataParallel parallel = world.isDistributed() ? DataParallel.join(world) : null) {
      for (Protocol.Fold fold : folds) {
        String dirName = fold.name().replaceAll("[^A-Za-z0-9_.-]+", "-");
        Path foldDir = folds.size() == 1 ? outDir : outDir.resolve(dirName);
        try (TensorScope m = manager.newSubScope()) {
          long seed = recipe.seedOrDefault() + 100;
          Encoder model = multiscale ? new MultiscaleTransformer(m, mast, seed) : new AudioTransformer(m, config, seed);
          if (adapted != null) {
            WeightTransfer.load(model, adapted, k -> k.startsWith("head."), init);
          }
          FineTuner.Result r = FineTuner.run(model, fold.train(), fold.test(), source, ft, foldDir,
              Map.of("title", "fine-tuning " + fold.name()), listeners.apply(fold.name()), d -> { }, execution,
              parallel);
          if (!world.isLeader()) {
            continue; // worker 0 evaluates and writes
          }
          Path modelDir = foldDir.resolve("model");
          OutputActivation activation = data.multiLabel() ? OutputActivation.SIGMOID : OutputActivation.SOFTMAX;
          ModelDirectory.write(modelDir, model, new PretrainedSpec(loader.targetSampleRateHz(), loader.mixdown(), fbank,
              norm, frames, data.classes(), activation, "fine-tuned on " + fold.train().name()),
              Provenance.of("fine-tuning", Pretraining.describe(recipe), recipe.seedOrDefault(),
                  fold.train().name() + " (" + fold.train().size() + " clips)", ft.steps(fold.train().size())));
          if (!data.multiLabel() && r.predictions().logits().length > 0) {
            ConfusionMatrixImage.write(foldDir.resolve("confusion.png"),
                Metrics.confusion(r.predictions().logits(), r.predictions().targets()), data.classes(),
                "confusion, " + fold.name());
          }
          results.add(new FoldResult(fold.name(), fold.train().size(), fold.test().size(), r.metrics(),
              modelDir.toString(), r.skipped()));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    if (!world.isLeader()) {
      return new Report(data.name(), "worker " + world.rank(), protocol == null ? "auto" : protocol, data.classes(),
          List.of(), Map.of(), Pretraining.describe(recipe));
    }
    Map<String, double[]> summary = new LinkedHashMap<>();
    for (String k : results.get(0).metrics().keySet()) {
      double sum = 0;
      for (FoldResult f : results) {
        sum += f.metrics().get(k);
      }
      double mean = sum / results.size();
      double sq = 0;
      for (FoldResult f : results) {
        sq += (f.metrics().get(k) - mean) * (f.metrics().get(k) - mean);
      }
      summary.put(k, new double[] {mean, results.size() > 1 ? Math.sqrt(sq / (results.size() - 1)) : 0});
    }
    Report report = new Report(data.name(), init != null ? "from " + init : "from scratch (" + scratchModel + ")",
        protocol == null ? "auto" : protocol, data.classes(), results, summary, Pretraining.describe(recipe));
    write(outDir, report);
    return report;
  }

  static void write(Path outDir, Report report) {
    try {
      AtomicFile.writeString(outDir.resolve("results.json"), Json.pretty(report));
      AtomicFile.writeString(outDir.resolve("results.md"), "# " + report.dataset() + ", " + report.initialisation()
          + "\n\n" + report.markdown());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static AudioTransformerConfig configFor(FineTuneRecipe recipe, ModelDirectory.Manifest manifest,
      String scratchModel, int classes) {
    AudioTransformerConfig base;
    if (manifest != null) {
      base = manifest.config();
    } else {
      if (scratchModel == null) {
        throw new ConfigException("give --init MODEL_DIR or --scratch MODEL_NAME");
      }
      base = ModelRegistry.get(scratchModel, recipe.frames() == null ? 1024 : recipe.frames(), 0);
    }
    PatchGrid g = base.grid();
    int frames = recipe.frames() == null ? g.inputFrames() : recipe.frames();
    int strideFrames = recipe.stride() == null ? g.strideFrames() : recipe.stride();
    int strideBins = recipe.stride() == null ? g.strideBins() : g.patchBins() == g.inputBins() ? g.patchBins()
        : recipe.stride();
    PatchGrid grid = new PatchGrid(frames, g.inputBins(), g.patchFrames(), g.patchBins(), strideFrames, strideBins,
        g.order());
    AudioTransformerConfig c = base.withGrid(grid).withClasses(classes);
    if (recipe.dropPath() != null) {
      c = c.withRegularisation(c.dropout(), c.attentionDropout(), recipe.dropPath());
    }
    Pooling p = recipe.poolingOrNull();
    return p == null ? c : c.withPooling(p);
  }

  /** A MAST model's configuration: the initial model's or a preset, at the recipe's length, with a head. */
  private static MultiscaleConfig multiscaleFor(FineTuneRecipe recipe, ModelDirectory.Manifest manifest,
      String scratchModel, int classes) {
    if (recipe.stride() != null) {
      throw new ConfigException("stride: MAST models have a fixed stem (16 x 16, stride 10)");
    }
    if (recipe.poolingOrNull() != null && recipe.poolingOrNull() != Pooling.MEAN_PATCHES) {
      throw new ConfigException("pooling: MAST models pool by the mean of their last tokens (pooling: mean)");
    }
    MultiscaleConfig base = manifest != null ? manifest.multiscale()
        : ModelRegistry.multiscale(scratchModel, recipe.frames() == null ? 1024 : recipe.frames(), 0);
    MultiscaleConfig c = (recipe.frames() == null ? base : base.withFrames(recipe.frames())).withClasses(classes);
    return recipe.dropPath() == null ? c : c.withDropPath(recipe.dropPath());
  }
}
