package dev.earshot.compare;

import dev.earshot.ConfigException;
import dev.earshot.pretrain.PretrainingMethod;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Which of its built-in recipes each method of a comparison pretrains with. */
public enum RecipeScale {
  /**
   * {@code METHOD-cpu} (minutes on a CPU) at the comparison's model size and input length, for its step or minute
   * budget.
   */
  CPU,
  /**
   * {@code METHOD-cpu-hour}, as written: its own model, input length and schedule, made for an hour of 2 CPU
   * cores (a step or minute budget, when given, shortens it: the schedules follow the run's length).
   */
  CPU_HOUR;

  /** Its name on the command line: {@code cpu}, {@code cpu-hour}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The recipe of {@code method} at this scale. */
  public String recipe(PretrainingMethod<?> method) {
    return this == CPU ? method.profile().cpuRecipe() : method.profile().hourRecipe();
  }

  /** The scale called {@code label}. */
  public static RecipeScale parse(String label) {
    for (RecipeScale s : values()) {
      if (s.label().equals(label)) {
        return s;
      }
    }
    throw new ConfigException("--recipes: " + Arrays.stream(values()).map(RecipeScale::label)
        .collect(Collectors.joining(" or ")) + ", got '" + label + "'");
  }
}
