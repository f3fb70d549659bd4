package dev.earshot.compare;

import dev.earshot.data.Dataset;
import dev.earshot.features.Normalization;
import dev.earshot.pretrain.PretrainingMethod;
import dev.earshot.recipe.PretrainRecipe;
import dev.earshot.recipe.Pretraining;
import dev.earshot.recipe.Recipes;
import dev.earshot.train.MetricsLog;
import dev.earshot.train.TrainingListener;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Pretrains one method for the comparison: its CPU recipe at the comparison's size, length and budget (or its
 * one-hour recipe as written, shortened only by a budget when one is given), resumed from its checkpoint when
 * interrupted, with snapshots for the progress curve. A minute budget becomes a step
 * count by timing {@link #CALIBRATION_STEPS} steps, the last {@code CALIBRATION_STEPS - WARM_UP_STEPS} of them
 * (the first steps are slower: native warm-up, empty prefetch queue).
 */
final class PretrainingStage {
  private static final int CALIBRATION_STEPS = 30;
  private static final int WARM_UP_STEPS = 10;

  /**
   * A finished pretraining.
   *
   * @param run the run folder (its snapshots feed the progress curve)
   * @param modelDir the exported encoder
   * @param seconds training time, from the run's metrics
   */
  record Pretrained(Path run, Path modelDir, long steps, double seconds, MetricsLog log) {}

  private final Plan plan;
  private final Normalization pool;
  private final Dataset data;
  private final ResultCache cache;
  private final Progress progress;

  PretrainingStage(Plan plan, Normalization pool, Dataset data, ResultCache cache, Progress progress) {
    this.plan = plan;
    this.pool = pool;
    this.data = data;
    this.cache = cache;
    this.progress = progress;
  }

  /** Runs (or resumes, or reads back) {@code entry}'s pretraining. */
  Pretrained run(Entry.Pretrained entry) {
    PretrainingMethod<?> method = entry.method();
    Long budget = plan.budgetMinutes() == null ? plan.budgetSteps() : (Long) stepsForBudget(entry);
    PretrainRecipe recipe = recipe(entry, budget, true);
    long steps = recipe.stepsOrDefault();
    Path run = cache.pretrainRun(method.name());
    Pretraining.Result r = Pretraining.run(recipe, data, run, null, true, null,
        progress.listener("pretrain " + method.name(), steps));
    List<Map<String, Double>> rows = r.log().rows();
    double seconds = rows.isEmpty() ? 0 : rows.get(rows.size() - 1).getOrDefault("seconds", 0.0);
    progress.log(String.format(Locale.ROOT, "pretrained %s (%s): %d steps, %.0f s -> %s", method.name(),
        entry.model(), steps, seconds, r.modelDir()));
    return new Pretrained(run, r.modelDir(), steps, seconds, r.log());
  }

  /**
   * The method's recipe: at {@link RecipeScale#CPU}, its CPU recipe at this size and length with the settings that
   * follow run and input length; at {@link RecipeScale#CPU_HOUR}, its one-hour recipe as written. {@code steps}
   * (null: the recipe's own) sets the run's length and the schedules that follow it (a shortened one-hour recipe
   * also keeps its warm-up's share).
   */
  private PretrainRecipe recipe(Entry.Pretrained entry, Long steps, boolean snapshots) {
    PretrainingMethod<?> method = entry.method();
    Map<String, Object> base = Recipes.load(plan.recipes().recipe(method));
    long length = steps != null ? steps : Recipes.pretrain(base, plan.recipes().recipe(method)).stepsOrDefault();
    Map<String, Object> o = new LinkedHashMap<>();
    Map<String, Object> section = new LinkedHashMap<>();
    if (plan.recipes() == RecipeScale.CPU) {
      o.put("model", entry.model());
      o.put("frames", plan.frames());
      section.putAll(method.inputLengthSettings(plan.frames()));
    }
    if (steps != null) {
      o.put("steps", steps);
      section.putAll(method.runLengthSettings(steps));
      PretrainRecipe written = Recipes.pretrain(base, plan.recipes().recipe(method));
      if (plan.recipes() == RecipeScale.CPU_HOUR && written.warmupSteps() != null) {
        // a shortened one-hour recipe keeps its warm-up's share of the run
        long warmup = Math.round((double) written.warmupSteps() * steps / written.stepsOrDefault());
        o.put("warmupSteps", Math.max(1, warmup));
      }
    }
    o.put("seed", plan.seed());
    o.put("normalization", pool.mean() + "," + pool.std());
    // a multiple of the log interval; the calibration only checkpoints at its end, outside the timed steps
    o.put("checkpointEvery", snapshots ? Math.max(10, length / 5 / 10 * 10) : length);
    o.put("snapshots", snapshots);
    if (!section.isEmpty()) {
      o.put(method.name(), section);
    }
    return Recipes.pretrain(Recipes.merge(base, o), "comparison recipe for " + method.name());
  }

  private long stepsForBudget(Entry.Pretrained entry) {
    String name = entry.method().name();
    var cached = cache.budgetSteps(name);
    if (cached.isPresent()) {
      return cached.getAsLong();
    }
    TrainingListener bar = progress.listener("calibrate " + name, (long) CALIBRATION_STEPS);
    long[] stepEnds = new long[CALIBRATION_STEPS + 1]; // nanoTime at the end of each step, timed as a run is
    Pretraining.run(recipe(entry, (long) CALIBRATION_STEPS, false), data, cache.calibrationRun(name), null, false, null,
        new TrainingListener() {
          @Override
          public void onStep(long done, long total, double lr, Map<String, Double> metrics) {
            stepEnds[(int) done] = System.nanoTime();
            bar.onStep(done, total, lr, metrics);
          }
        });
    double perStep = (stepEnds[CALIBRATION_STEPS] - stepEnds[WARM_UP_STEPS]) / 1e9
        / (CALIBRATION_STEPS - WARM_UP_STEPS);
    long steps = Math.max(10, (long) (plan.budgetMinutes() * 60 / perStep));
    progress.log(String.format(Locale.ROOT, "%s: %.3f s per step -> %d steps in %.1f min", name, perStep, steps,
        plan.budgetMinutes()));
    cache.saveBudgetSteps(name, steps);
    return steps;
  }
}
