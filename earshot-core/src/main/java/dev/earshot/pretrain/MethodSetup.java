package dev.earshot.pretrain;

import dev.earshot.model.Encoder;
import dev.earshot.train.Objective;
import java.util.Map;

/**
 * What a method builds for a run: the objective the trainer optimises, the encoders it can export, and one line
 * saying what the model sees per clip (for progress output).
 *
 * @param objective the trainable and frozen modules, loss and after-update hook
 * @param encoders the student's encoder and, where the method has one, the teacher's
 * @param inputSummary e.g. "72 of 96 patches masked"
 */
public record MethodSetup(Objective objective, Map<ExportRole, Encoder> encoders, String inputSummary) {
  public MethodSetup {
    if (!encoders.containsKey(ExportRole.STUDENT)) {
      throw new IllegalArgumentException("a method's setup must name its student encoder");
    }
    encoders = Map.copyOf(encoders);
  }

  /** The encoder the optimizer trains (its depth sets layer-wise learning-rate decay). */
  public Encoder student() {
    return encoders.get(ExportRole.STUDENT);
  }
}
