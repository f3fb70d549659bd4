package dev.earshot.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import dev.earshot.ConfigException;

/** How the token sequence becomes one clip vector. */
public enum Pooling {
  /** Mean of the patch tokens, special tokens excluded (SSAST's ft_avgtok, MAST). */
  MEAN_PATCHES("mean"),
  /** The first special token (EAT's CLS_TOKEN). */
  CLS("cls"),
  /** Mean of the CLS and distillation tokens (AST, SSAST's ft_cls, Hugging Face AST). */
  CLS_DIST_MEAN("cls-dist");

  private final String label;

  Pooling(String label) {
    this.label = label;
  }

  /** Its name in recipes and on the command line. */
  public String label() {
    return label;
  }

  /**
   * A rule in JSON or YAML: its label ({@code mean}, as recipes write it) or its constant's name
   * ({@code MEAN_PATCHES}, as model.json writes it).
   */
  @JsonCreator
  public static Pooling fromJson(String text) {
    for (Pooling p : values()) {
      if (p.name().equals(text)) {
        return p;
      }
    }
    return parse(text);
  }

  /** The rule called {@code label} ({@code mean}, {@code cls}, {@code cls-dist}). */
  public static Pooling parse(String label) {
    for (Pooling p : values()) {
      if (p.label.equals(label)) {
        return p;
      }
    }
    throw new ConfigException("pooling: mean, cls or cls-dist, got '" + label + "'");
  }
}
