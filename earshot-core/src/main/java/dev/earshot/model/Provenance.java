package dev.earshot.model;

import dev.earshot.Version;
import java.util.Map;

/**
 * Where a model's weights came from, recorded in {@code model.json} beside the free-text
 * {@link PretrainedSpec#source()}: enough to tell two model directories apart and to rerun what made one.
 *
 * @param earshotVersion the earshot version that wrote the directory
 * @param producer what wrote it: {@code pretraining}, {@code fine-tuning}, {@code import} or
 *     {@code random initialisation}
 * @param recipe the run's recipe as key/values (every default filled in), or null (imports)
 * @param seed the run's seed, or null
 * @param data what the weights were trained on (dataset and clip count), or the imported file
 * @param step optimizer updates done when the weights were written, or null
 */
public record Provenance(String earshotVersion, String producer, Map<String, Object> recipe, Long seed, String data,
    Long step) {

  /** Provenance written by this earshot. */
  public static Provenance of(String producer, Map<String, Object> recipe, Long seed, String data, Long step) {
    return new Provenance(Version.current(), producer, recipe, seed, data, step);
  }

  /** The same provenance at another step (pretraining snapshots). */
  public Provenance atStep(long newStep) {
    return new Provenance(earshotVersion, producer, recipe, seed, data, newStep);
  }
}
