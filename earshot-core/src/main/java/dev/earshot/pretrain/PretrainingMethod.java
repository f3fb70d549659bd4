package dev.earshot.pretrain;

import java.util.List;
import java.util.Map;

/**
 * A self-supervised pretraining method, as everything above the trainer sees it: its name and recipes, the
 * architecture it trains, its recipe section, how it builds its objective, what it exports, and what state and
 * synchronisation it needs beyond the trained parameters. One class per method, in the method's own package
 * ({@code pretrain.ssast.SsastMethod}, ...); {@code recipe.PretrainingMethods} lists them, and the CLI, the
 * demo, pretraining and the comparison iterate over that list — no method name appears anywhere else.
 *
 * <p>Every method runs on one or more data-parallel workers with gradients averaged over them; what it needs
 * beyond that is {@link #synchronisation()}.
 *
 * @param <S> the type of its recipe section (the YAML block named after the method), every field nullable
 *     with the method's published default
 */
public interface PretrainingMethod<S> {
  /** Its name, recipes, architecture family, recipe section, defaults and progress metrics. */
  MethodProfile<S> profile();

  /** The method's name: the recipe's {@code method} value, its section's key, the CLI's {@code --method}. */
  default String name() {
    return profile().name();
  }

  /** The optimizer's weight decay when the recipe names none. */
  default double defaultWeightDecay() {
    return 0.01;
  }

  /** The model's input length for clips of {@code frames} frames (methods that train on crops differ). */
  default int modelFrames(S settings, int frames) {
    return frames;
  }

  /** The shared knobs it takes and the section key each sets (empty when it takes none). */
  default Map<MethodOption, String> options() {
    return Map.of();
  }

  /**
   * Section keys that must follow the run's length, for runs much shorter than the published ones (EAT's teacher
   * decay reaches its end with the run); empty when none.
   */
  default Map<String, Object> runLengthSettings(long steps) {
    return Map.of();
  }

  /** Section keys that must follow the input length (crop sizes); empty when none. */
  default Map<String, Object> inputLengthSettings(int frames) {
    return Map.of();
  }

  /** The crop length for clips of {@code frames} frames: two thirds, a multiple of 16, at least 32. */
  static int cropFor(int frames) {
    return Math.max(32, frames * 2 / 3 / 16 * 16);
  }

  /** The encoders a run writes at its end, the one fine-tuning starts from ({@link Export#MAIN}) first. */
  List<Export> exports(S settings);

  /** Its state beyond the trained parameters (teachers, queues, centres), all checkpointed. */
  List<MethodState> state();

  /** What data-parallel workers must do beyond averaging gradients (empty: nothing). */
  List<Synchronisation> synchronisation();

  /** Builds the networks and the objective of a run. */
  MethodSetup setup(S settings, MethodContext context);
}
