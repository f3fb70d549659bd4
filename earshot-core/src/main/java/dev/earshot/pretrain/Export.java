package dev.earshot.pretrain;

/**
 * An encoder a pretraining run writes at its end, as a model directory {@code RUN/<folder>}.
 *
 * @param folder the folder under the run ({@code model} for the one fine-tuning starts from)
 * @param role which network it is
 * @param description what it is, in the model's source text (e.g. "EMA teacher backbone")
 */
public record Export(String folder, ExportRole role, String description) {
  /** The folder every method writes its main encoder to. */
  public static final String MAIN = "model";
}
