package dev.earshot.cli;

import dev.earshot.pretrain.PretrainingMethod;
import dev.earshot.recipe.PretrainingMethods;
import dev.earshot.recipe.Recipes;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Which pretraining recipe a run starts from and the run-shape flags merged into it: shared by {@code pretrain}
 * and {@code spark pretrain}, so both build the same recipe from the same flags.
 */
final class PretrainRecipeOptions {
  @Option(names = "--recipe", paramLabel = "NAME|FILE",
      description = "Recipe to start from (default: the method's CPU recipe, METHOD-cpu).")
  String recipe;

  @Option(names = "--method", paramLabel = "M", converter = MethodChoice.class,
      completionCandidates = MethodChoice.class,
      description = "${COMPLETION-CANDIDATES} (default: the recipe's, or the first without a recipe).")
  PretrainingMethod<?> method;

  @Option(names = "--model", paramLabel = "NAME", completionCandidates = ModelNames.class,
      description = "Architecture, e.g. ssast-tiny-patch (default: the recipe's).")
  String model;

  @Option(names = "--steps", paramLabel = "N", description = "Optimizer updates.")
  Long steps;

  @Option(names = "--checkpoint-every", paramLabel = "N", description = "Updates between checkpoints.")
  Long checkpointEvery;

  /** Refuses step counts below one (a {@code ConfigException} naming the flag). */
  void check() {
    OptionChecks.atLeast("--steps", steps, 1);
    OptionChecks.atLeast("--checkpoint-every", checkpointEvery, 1);
  }

  /** The recipe {@code --recipe} names, else the CPU recipe of {@code --method} (or of the default method). */
  String recipeName() {
    if (recipe != null) {
      return recipe;
    }
    return (method != null ? method : PretrainingMethods.defaultMethod()).profile().cpuRecipe();
  }

  /** The recipe {@link #recipeName()} with these flags, {@code training}'s and {@code masking}'s merged in. */
  Map<String, Object> tree(TrainingOverrides training, MaskingOptions masking) {
    Map<String, Object> overrides = new LinkedHashMap<>();
    overrides.put("method", method == null ? null : method.name());
    overrides.put("model", model);
    overrides.put("steps", steps);
    overrides.put("checkpointEvery", checkpointEvery);
    training.putInto(overrides);
    Map<String, Object> base = Recipes.load(recipeName());
    PretrainingMethod<?> chosen = method != null ? method
        : base.get("method") instanceof String name && PretrainingMethods.contains(name) ? PretrainingMethods.get(name)
        : null;
    if (chosen != null) {
      Map<String, Object> section = masking.section(chosen);
      overrides.put(chosen.name(), section.isEmpty() ? null : section);
    }
    return Recipes.merge(base, overrides);
  }
}
