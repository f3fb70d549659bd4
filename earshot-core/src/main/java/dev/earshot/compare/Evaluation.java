package dev.earshot.compare;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.earshot.ConfigException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The four ways a comparison evaluates an encoder on a task, in table order. */
public enum Evaluation {
  /** A linear classifier on the frozen encoder, trained by the fine-tuning recipe (head only). */
  PROBE("probe", "linear probe"),
  /** Full fine-tuning with the fine-tuning recipe. */
  FINETUNE("fine-tune", "fine-tuned"),
  /** HEAR-style shallow classifier on frozen clip embeddings. */
  FROZEN("frozen clip", "frozen clip embedding, shallow classifier"),
  /** HEAR-style shallow classifier on frozen time-step (timestamp) embeddings. */
  FRAMES("frozen frames", "frozen time-step embeddings, shallow classifier");

  private final String column;
  private final String title;

  Evaluation(String column, String title) {
    this.column = column;
    this.title = title;
  }

  /** Its name in results files, folders and on the command line: the constant's, in lower case. */
  @JsonValue
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Its column header in the table ({@code key} of the task before it). */
  public String column() {
    return column;
  }

  /** Its title in plots. */
  public String title() {
    return title;
  }

  /** True for the two supervised runs (probe and fine-tuning), which take the fine-tuning recipe. */
  public boolean supervised() {
    return this == PROBE || this == FINETUNE;
  }

  /** The evaluation called {@code key} ({@code probe}, {@code finetune}, {@code frozen}, {@code frames}). */
  @JsonCreator
  public static Evaluation parse(String key) {
    for (Evaluation e : values()) {
      if (e.key().equals(key.strip().toLowerCase(Locale.ROOT))) {
        return e;
      }
    }
    throw new ConfigException("--evaluations: unknown '" + key + "' (" + Arrays.stream(values())
        .map(Evaluation::key).collect(Collectors.joining(", ")) + ")");
  }
}
