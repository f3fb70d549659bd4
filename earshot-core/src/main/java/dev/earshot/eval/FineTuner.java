package dev.earshot.eval;

import dev.earshot.tensor.Execution;
import dev.earshot.data.BatchLoader;
import dev.earshot.data.Dataset;
import dev.earshot.data.FeatureSource;
import dev.earshot.data.Sampler;
import dev.earshot.model.Encoder;
import dev.earshot.train.AdamW;
import dev.earshot.train.DataParallel;
import dev.earshot.train.LrSchedule;
import dev.earshot.train.ParamGroups;
import dev.earshot.train.Trainer;
import dev.earshot.train.TrainerConfig;
import dev.earshot.train.TrainingListener;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/** Trains a classifier on one split and evaluates it on another. */
public final class FineTuner {
  private FineTuner() {}

  /**
   * The trained model's predictions on the test split and the resulting metrics.
   *
   * @param skipped clips left out, each "train: FILE: reason" or "test: FILE: reason"
   */
  public record Result(Predictions predictions, Map<String, Double> metrics, long steps, List<String> skipped) {}

  /**
   * Trains {@code model} (which must have a head with {@code train.classes().size()} outputs) on {@code train}
   * and evaluates it on {@code test}.
   */
  public static Result run(Encoder model, Dataset train, Dataset test, FeatureSource source,
      FineTuneConfig cfg, Path runDir, Map<String, Object> description, TrainingListener listener,
      IntConsumer evalProgress) {
    return run(model, train, test, source, cfg, runDir, description, listener, evalProgress, Execution.CPU);
  }

  /** As above, computing in {@code execution}'s precision on the model's device. */
  public static Result run(Encoder model, Dataset train, Dataset test, FeatureSource source,
      FineTuneConfig cfg, Path runDir, Map<String, Object> description, TrainingListener listener,
      IntConsumer evalProgress, Execution execution) {
    return run(model, train, test, source, cfg, runDir, description, listener, evalProgress, execution, null);
  }

  /**
   * As above, as one of several data-parallel workers when {@code parallel} is not null: every worker trains on
   * its share of each batch; worker 0 evaluates (the others return no predictions).
   */
  public static Result run(Encoder model, Dataset train, Dataset test, FeatureSource source,
      FineTuneConfig cfg, Path runDir, Map<String, Object> description, TrainingListener listener,
      IntConsumer evalProgress, Execution execution, DataParallel parallel) {
    long steps = cfg.steps(train.size());
    ClassificationObjective objective = new ClassificationObjective(model, train.multiLabel(), cfg.labelSmoothing(),
        cfg.linearProbe(), cfg.seed(), cfg.augmentation().batchMixupAlpha(), cfg.augmentation().batchMixupProb());
    AdamW optimizer = new AdamW(model.manager(), ParamGroups.build(objective.trainable(), cfg.weightDecay(),
        cfg.layerDecay(), model.depth(), true), AdamW.Settings.adamW(0.9, 0.999));
    LrSchedule schedule = new LrSchedule.WarmupCosine(cfg.peakLr(), (long) (cfg.warmupFraction() * steps), steps,
        cfg.finalLr());
    TrainerConfig tc = new TrainerConfig(steps, 1, cfg.clipNorm(), Math.max(steps, 1), Math.max(1, steps / 50), cfg.seed());
    Map<String, Object> desc = new LinkedHashMap<>(description == null ? Map.of() : description);
    desc.put("finetune", cfg.toString());
    BatchLoader.Shard shard = parallel == null ? BatchLoader.Shard.WHOLE
        : new BatchLoader.Shard(parallel.rank(), parallel.size());
    List<String> skipped = new ArrayList<>();
    try (BatchLoader loader = new BatchLoader(train, source, new Sampler.Shuffled(train.size(), cfg.seed()),
        cfg.batchSize(), cfg.seed(), cfg.augmentation(), 2, 2, shard)) {
      new Trainer(objective, loader, optimizer, schedule, tc, runDir, desc, listener, execution)
          .dataParallel(parallel).run(false);
      loader.skipped().forEach(s -> skipped.add("train: " + s));
    }
    if (parallel != null && !parallel.isLeader()) {
      return new Result(new Predictions(new float[0][], new float[0][], List.of(), List.of()), Map.of(), steps,
          List.copyOf(skipped));
    }
    Predictions p = Evaluator.predict(model, test, source, 32, evalProgress, execution);
    p.skipped().forEach(s -> skipped.add("test: " + s));
    return new Result(p, summarize(p, train.multiLabel()), steps, List.copyOf(skipped));
  }

  /** Accuracy for single-label sets; mAP, mean AUC and d' for multi-label ones. */
  public static Map<String, Double> summarize(Predictions p, boolean multiLabel) {
    Map<String, Double> m = new LinkedHashMap<>();
    if (p.logits().length == 0) {
      return m;
    }
    if (multiLabel) {
      m.put("mAP", Metrics.meanAveragePrecision(p.logits(), p.targets()));
      double auc = Metrics.meanAuc(p.logits(), p.targets());
      m.put("AUC", auc);
      m.put("d_prime", Metrics.dPrime(auc));
    } else {
      m.put("accuracy", Metrics.accuracy(p.logits(), p.targets()));
    }
    return m;
  }
}
