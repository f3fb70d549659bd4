package dev.earshot.compare;

import dev.earshot.ConfigException;
import dev.earshot.model.ModelFamily;
import dev.earshot.model.ModelSize;
import dev.earshot.pretrain.PretrainingMethod;
import dev.earshot.recipe.PretrainingMethods;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What to compare (validated on construction; stored as the {@code plan} of results.json).
 *
 * @param methods registered method names and/or {@code scratch}, in table order
 * @param pool the unlabelled pretraining data (FORMAT:PATH)
 * @param tasks the labelled tasks
 * @param size a model size every compared family has (micro, tiny, small, base)
 * @param frames input length of pretraining, and of every task without its own
 * @param budgetMinutes wall-clock pretraining budget per method (measured, then turned into a step count), or
 *     null
 * @param budgetSteps pretraining steps per method, used when budgetMinutes is null
 * @param epochs fine-tuning and linear-probe epochs
 * @param seed seed of the pretraining runs and of the first fine-tuning repeat
 * @param repeats fine-tuning and probing runs per fold, with seeds seed, seed+1, ... (their spread is the
 *     reported standard deviation together with the folds')
 * @param evaluations which of the four evaluations run (null or empty: all, in table order)
 */
public record Plan(List<String> methods, String pool, List<Task> tasks, String size, int frames,
    Double budgetMinutes, long budgetSteps, double epochs, long seed, int repeats, List<Evaluation> evaluations) {
  public Plan {
    if (repeats < 1) {
      throw new ConfigException("--repeats: at least 1, got " + repeats);
    }
    if (budgetMinutes != null && !(budgetMinutes > 0)) {
      throw new ConfigException("--budget-minutes: must be positive, got " + budgetMinutes);
    }
    if (budgetMinutes == null && budgetSteps < 1) {
      throw new ConfigException("--budget-steps: at least 1, got " + budgetSteps);
    }
    for (String m : methods) {
      if (!m.equals(Entry.SCRATCH) && !PretrainingMethods.contains(m)) {
        throw new ConfigException("--methods: unknown '" + m + "' (" + String.join(", ", PretrainingMethods.names())
            + ", " + Entry.SCRATCH + ")");
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

  /** The sizes every family of the registry has. */
  public static List<String> sizes() {
    return ModelSize.all().stream().filter(s -> Arrays.stream(ModelFamily.values()).allMatch(f -> f.has(s)))
        .map(ModelSize::label).toList();
  }

  /**
   * The rows: every pretraining method, then — where "scratch" is listed — a randomly initialised model of every
   * architecture those methods use (the default method's if none), so each method can be read against its own
   * architecture trained without pretraining.
   */
  public List<Entry> entries() {
    List<Entry.Pretrained> pretrained = new ArrayList<>();
    for (String m : methods) {
      if (!m.equals(Entry.SCRATCH)) {
        PretrainingMethod<?> method = PretrainingMethods.get(m);
        pretrained.add(new Entry.Pretrained(method, method.profile().family().modelName(size)));
      }
    }
    List<Entry> out = new ArrayList<>();
    int next = 0;
    for (String m : methods) {
      if (!m.equals(Entry.SCRATCH)) {
        out.add(pretrained.get(next++));
        continue;
      }
      List<String> models = pretrained.stream().map(Entry.Pretrained::model).distinct().toList();
      for (String model : models.isEmpty()
          ? List.of(PretrainingMethods.defaultMethod().profile().family().modelName(size)) : models) {
        out.add(new Entry.Scratch(model));
      }
    }
    return out;
  }

  /** True when {@code e} is one of the evaluations to run. */
  public boolean runs(Evaluation e) {
    return evaluations.contains(e);
  }
}
