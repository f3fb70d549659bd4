package dev.earshot.interop;

import dev.earshot.features.Normalization;
import dev.earshot.model.OutputActivation;
import dev.earshot.model.Pooling;
import java.util.List;

/**
 * What the user tells an import that the checkpoint does not record. Every field may be null ("infer it, or
 * refuse with a message naming the flag").
 *
 * @param frames input frames the model will see (SSAST/AST positions are adapted or checked against it)
 * @param strideFrames patch stride in time
 * @param strideBins patch stride in frequency
 * @param heads attention heads (not stored in SSAST/AST files; inferred for the published widths)
 * @param pooling clip pooling rule
 * @param labels class names
 * @param activation how logits become scores
 * @param normalization input normalisation constants
 * @param teacher for EAT pretraining checkpoints: import the EMA teacher instead of the student
 * @param student for ASiT checkpoints: import the student instead of the EMA teacher (the default there)
 * @param allowNonFinite accept weights that are NaN or infinite (refused by default: such a model's scores are NaN)
 */
public record ImportOptions(
    Integer frames,
    Integer strideFrames,
    Integer strideBins,
    Integer heads,
    Pooling pooling,
    List<String> labels,
    OutputActivation activation,
    Normalization normalization,
    boolean teacher,
    boolean student,
    boolean allowNonFinite) {

  /** Non-finite weights refused. */
  public ImportOptions(Integer frames, Integer strideFrames, Integer strideBins, Integer heads, Pooling pooling,
      List<String> labels, OutputActivation activation, Normalization normalization, boolean teacher,
      boolean student) {
    this(frames, strideFrames, strideBins, heads, pooling, labels, activation, normalization, teacher, student, false);
  }

  /** Without the ASiT choice (the teacher). */
  public ImportOptions(Integer frames, Integer strideFrames, Integer strideBins, Integer heads, Pooling pooling,
      List<String> labels, OutputActivation activation, Normalization normalization, boolean teacher) {
    this(frames, strideFrames, strideBins, heads, pooling, labels, activation, normalization, teacher, false);
  }

  /** Nothing specified: infer everything. */
  public static ImportOptions defaults() {
    return new ImportOptions(null, null, null, null, null, null, null, null, false);
  }

  public ImportOptions withHeads(int h) {
    return new ImportOptions(frames, strideFrames, strideBins, h, pooling, labels, activation, normalization, teacher,
        student, allowNonFinite);
  }

  public ImportOptions withGeometry(Integer newFrames, Integer newStrideFrames, Integer newStrideBins) {
    return new ImportOptions(newFrames, newStrideFrames, newStrideBins, heads, pooling, labels, activation,
        normalization, teacher, student, allowNonFinite);
  }

  /** The same options, accepting non-finite weights or not. */
  public ImportOptions withAllowNonFinite(boolean allow) {
    return new ImportOptions(frames, strideFrames, strideBins, heads, pooling, labels, activation, normalization, teacher,
        student, allow);
  }
}
