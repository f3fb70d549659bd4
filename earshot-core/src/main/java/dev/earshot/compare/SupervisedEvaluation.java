package dev.earshot.compare;

import dev.earshot.features.Normalization;
import dev.earshot.io.Json;
import dev.earshot.recipe.FineTuneRecipe;
import dev.earshot.recipe.FineTuning;
import dev.earshot.recipe.Recipes;
import dev.earshot.train.TrainingListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Linear probe or full fine-tuning with the {@code finetune-cpu} recipe, once per repeat (seed, seed+1, ...);
 * each run is cached in its folder's results.json (written by {@link FineTuning}). The score pools every fold of
 * every repeat.
 */
final class SupervisedEvaluation {
  /** The fine-tuning recipe every probe and fine-tune starts from. */
  static final String RECIPE = "finetune-cpu";

  /** A head alone learns with a larger rate than the whole network. */
  private static final double PROBE_LR = 1e-2;

  private final Plan plan;
  private final Normalization pool;

  SupervisedEvaluation(Plan plan, Normalization pool) {
    this.plan = plan;
    this.pool = pool;
  }

  /**
   * @param evaluation {@link Evaluation#PROBE} or {@link Evaluation#FINETUNE}
   * @param progress a listener per fold name
   */
  Score run(Init init, TaskData task, Evaluation evaluation, Path dir, Function<String, TrainingListener> progress) {
    List<Map<String, Double>> runs = new ArrayList<>();
    for (int r = 0; r < plan.repeats(); r++) {
      long seed = plan.seed() + r;
      Path runDir = plan.repeats() == 1 ? dir : dir.resolve("seed-" + seed);
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("frames", task.frames());
      o.put("epochs", plan.epochs());
      o.put("seed", seed);
      o.put("normalization", pool.mean() + "," + pool.std());
      o.put("linearProbe", evaluation == Evaluation.PROBE);
      if (evaluation == Evaluation.PROBE) {
        o.put("lr", PROBE_LR);
      }
      FineTuneRecipe recipe = Recipes.bind(Recipes.merge(Recipes.load(RECIPE), o), FineTuneRecipe.class,
          "comparison fine-tuning");
      Path start = init instanceof Init.FromModel m ? m.dir() : null;
      CachedInputs inputs = CachedInputs.of("recipe", recipeText(recipe),
          "start", start == null ? "random " + init.model() : CachedInputs.weightsDigest(start));
      if (ResultCache.done(runDir)) {
        inputs.requireSameAs(runDir);
      } else {
        inputs.write(runDir);
        FineTuning.run(recipe, task.train(), task.test().orElse(null), "auto", start,
            start == null ? init.model() : null, runDir, null, progress);
      }
      runs.addAll(ResultCache.foldMetrics(runDir, task.frames()));
    }
    return Score.pooled(runs);
  }

  /** The recipe as one line of JSON: what decides whether a cached run is this one. */
  private static String recipeText(FineTuneRecipe recipe) {
    try {
      return Json.line(recipe);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
