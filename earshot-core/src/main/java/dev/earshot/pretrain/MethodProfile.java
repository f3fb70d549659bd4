package dev.earshot.pretrain;

import dev.earshot.features.Normalization;
import dev.earshot.model.ModelFamily;
import java.util.List;

/**
 * What a method is called and starts from: the fixed facts of a {@link PretrainingMethod}.
 *
 * @param name the recipe's {@code method} value, its section's key, the CLI's {@code --method}
 * @param displayName the name in prose and tables, e.g. "SS-MAST"
 * @param summary what the method learns from, in one line
 * @param cpuRecipe the built-in recipe that runs in minutes on a CPU (the demo's and the comparison's start)
 * @param publishedRecipe the built-in recipe with the published settings
 * @param family the architecture family it trains by default (the comparison picks its models here)
 * @param settingsType the type its recipe section binds to
 * @param defaultSettings the section with nothing set: the published defaults throughout
 * @param defaultNormalization the input normalisation when the recipe names none
 * @param metricKeys the metrics a progress line shows, in order (keys of the objective's step metrics)
 * @param optionsNote where its corruption is configured, for an error naming a knob it does not take
 * @param <S> the type of its recipe section
 */
public record MethodProfile<S>(String name, String displayName, String summary, String cpuRecipe,
    String publishedRecipe, ModelFamily family, Class<S> settingsType, S defaultSettings,
    Normalization defaultNormalization, List<String> metricKeys, String optionsNote) {
  public MethodProfile {
    metricKeys = List.copyOf(metricKeys);
  }

  /**
   * The built-in recipe for one hour of 2 CPU cores: the CPU recipe's name followed by {@code -hour}
   * ({@code ssast-cpu-hour}); its step count fits an hour by measured step times, and its frozen-embedding
   * readout was chosen by measurement on the representation benchmark (docs/PARITY.md).
   */
  public String hourRecipe() {
    return cpuRecipe + "-hour";
  }
}
