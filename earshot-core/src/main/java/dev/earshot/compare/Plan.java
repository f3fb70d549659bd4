package dev.earshot.compare;

import dev.earshot.ConfigException;
import dev.earshot.model.ModelFamily;
import dev.earshot.model.ModelSize;
import dev.earshot.pretrain.PretrainingMethod;
import dev.earshot.recipe.PretrainRecipe;
import dev.earshot.recipe.PretrainingMethods;
import dev.earshot.recipe.Recipes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What to compare (validated on construction; stored as the {@code plan} of results.json).
 *
 * @param methods registered method names, {@code scratch} and/or {@code logmel}, in table order
 * @param pool the unlabelled pretraining data (FORMAT:PATH)
 * @param tasks the labelled tasks
 * @param size a model size every compared family has (micro, mini, tiny, small, base); {@link RecipeScale#CPU} only
 * @param frames input length of pretraining and of every task without its own ({@link RecipeScale#CPU}), and the
 *     length the pool's normalisation is measured at
 * @param budgetMinutes wall-clock pretraining budget per method (measured, then turned into a step count), or
 *     null
 * @param budgetSteps pretraining steps per method, used when budgetMinutes is null; null (only with
 *     {@link RecipeScale#CPU_HOUR}) keeps each recipe's own
 * @param epochs fine-tuning and linear-probe epochs
 * @param seed seed of the pretraining runs and of the first fine-tuning repeat
 * @param repeats fine-tuning and probing runs per fold, with seeds seed, seed+1, ... (their spread is the
 *     reported standard deviation together with the folds')
 * @param evaluations which of the four evaluations run (null or empty: all, in table order)
 * @param recipes which built-in recipe each method starts from (null: {@link RecipeScale#CPU})
 */
public record Plan(List<String> methods, String pool, List<Task> tasks, String size, int frames,
    Double budgetMinutes, Long budgetSteps, double epochs, long seed, int repeats, List<Evaluation> evaluations,
    RecipeScale recipes) {
  public Plan {
    recipes = recipes == null ? RecipeScale.CPU : recipes;
    if (repeats < 1) {
      throw new ConfigException("--repeats: at least 1, got " + repeats);
    }
    if (budgetMinutes != null && !(budgetMinutes > 0)) {
      throw new ConfigException("--budget-minutes: must be positive, got " + budgetMinutes);
    }
    if (budgetMinutes == null && (budgetSteps == null ? recipes == RecipeScale.CPU : budgetSteps < 1)) {
      throw new ConfigException("--budget-steps: at least 1, got " + budgetSteps);
    }
    for (String m : methods) {
      if (!m.equals(Entry.SCRATCH) && !m.equals(Entry.LOG_MEL) && !PretrainingMethods.contains(m)) {
        throw new ConfigException("--methods: unknown '" + m + "' (" + String.join(", ", PretrainingMethods.names())
            + ", " + Entry.SCRATCH + ", " + Entry.LOG_MEL + ")");
      }
    }
    if (!sizes().contains(size)) {
      throw new ConfigException("--model: one of " + String.join(", ", sizes()) + ", got '" + size + "'");
    }
    if (methods.stream().distinct().count() != methods.size()) {
      throw new ConfigException("--methods: a method is listed twice: " + methods);
    }
    if (tasks.isEmpty()) {
      throw new ConfigException("--task: give at least one NAME=FORMAT:PATH");
    }
    evaluations = evaluations == null || evaluations.isEmpty() ? List.of(Evaluation.values())
        : Arrays.stream(Evaluation.values()).filter(evaluations::contains).toList();
  }

  /** A plan of the CPU recipes ({@link RecipeScale#CPU}). */
  public Plan(List<String> methods, String pool, List<Task> tasks, String size, int frames, Double budgetMinutes,
      long budgetSteps, double epochs, long seed, int repeats, List<Evaluation> evaluations) {
    this(methods, pool, tasks, size, frames, budgetMinutes, (Long) budgetSteps, epochs, seed, repeats, evaluations,
        RecipeScale.CPU);
  }

  /** The sizes every family of the registry has. */
  public static List<String> sizes() {
    return ModelSize.all().stream().filter(s -> Arrays.stream(ModelFamily.values()).allMatch(f -> f.has(s)))
        .map(ModelSize::label).toList();
  }

  /**
   * The rows: every pretraining method, then — where "scratch" is listed — a randomly initialised model of every
   * architecture those methods use (the default method's if none), so each method can be read against its own
   * architecture trained without pretraining; "logmel" is the log-mel-statistics baseline.
   */
  public List<Entry> entries() {
    List<Entry.Pretrained> pretrained = new ArrayList<>();
    for (String m : methods) {
      if (PretrainingMethods.contains(m)) {
        pretrained.add(pretrained(PretrainingMethods.get(m)));
      }
    }
    List<Entry> out = new ArrayList<>();
    int next = 0;
    for (String m : methods) {
      if (m.equals(Entry.LOG_MEL)) {
        out.add(new Entry.Baseline());
      } else if (!m.equals(Entry.SCRATCH)) {
        out.add(pretrained.get(next++));
      } else if (pretrained.isEmpty()) {
        Entry.Pretrained first = pretrained(PretrainingMethods.defaultMethod());
        out.add(new Entry.Scratch(first.model(), first.frames(), first.readout()));
      } else {
        List<String> seen = new ArrayList<>();
        for (Entry.Pretrained p : pretrained) {
          if (!seen.contains(p.model())) {
            seen.add(p.model());
            out.add(new Entry.Scratch(p.model(), p.frames(), p.readout()));
          }
        }
      }
    }
    return out;
  }

  /**
   * {@code method}'s row: its family at the plan's size and length, or its one-hour recipe's model and length; the
   * recipe's readout either way.
   */
  private Entry.Pretrained pretrained(PretrainingMethod<?> method) {
    PretrainRecipe r = Recipes.pretrain(Recipes.load(recipes.recipe(method)), recipes.recipe(method));
    if (recipes == RecipeScale.CPU) {
      return new Entry.Pretrained(method, method.profile().family().modelName(size), frames, r.readout());
    }
    return new Entry.Pretrained(method, r.model(), r.framesOr(1024), r.readout());
  }

  /** True when {@code e} is one of the evaluations to run. */
  public boolean runs(Evaluation e) {
    return evaluations.contains(e);
  }
}
