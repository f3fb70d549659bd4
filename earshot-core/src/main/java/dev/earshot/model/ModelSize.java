package dev.earshot.model;

import dev.earshot.ConfigException;
import java.util.Arrays;
import java.util.Locale;

/**
 * The widths of the published ViT encoders (all with 4x MLPs), plus {@code micro} (width 64, two blocks) for tests
 * and CPU demos. MAST names the same sizes for its own stage layouts ({@link dev.earshot.model.mast.MultiscaleConfig}).
 */
public enum ModelSize {
  MICRO(64, 2, 4),
  TINY(192, 12, 3),
  SMALL(384, 12, 6),
  BASE(768, 12, 12),
  LARGE(1024, 24, 16);

  private final int embedDim;
  private final int depth;
  private final int heads;

  ModelSize(int embedDim, int depth, int heads) {
    this.embedDim = embedDim;
    this.depth = depth;
    this.heads = heads;
  }

  /** Token width D. */
  public int embedDim() {
    return embedDim;
  }

  /** Transformer blocks. */
  public int depth() {
    return depth;
  }

  /** Attention heads. */
  public int heads() {
    return heads;
  }

  /** The name used in model names ({@code tiny} in {@code eat-tiny}). */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The size called {@code label}. */
  public static ModelSize parse(String label) {
    for (ModelSize s : values()) {
      if (s.label().equals(label)) {
        return s;
      }
    }
    throw new ConfigException("model: unknown size '" + label + "' (" + Arrays.stream(values())
        .map(ModelSize::label).reduce((a, b) -> a + ", " + b).orElse("") + ")");
  }
}
