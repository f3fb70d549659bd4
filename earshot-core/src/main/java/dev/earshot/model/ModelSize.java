package dev.earshot.model;

import dev.earshot.ConfigException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The widths of the published ViT encoders (all with 4x MLPs), plus {@code micro} (width 64, two blocks) for tests
 * and CPU demos and {@code mini} (width 128, four blocks) for an hour of CPU pretraining.
 * MAST names the same sizes for its own stage layouts ({@link dev.earshot.model.mast.MultiscaleConfig}).
 *
 * @param label the name used in model names ({@code tiny} in {@code eat-tiny})
 * @param embedDim token width D
 * @param depth transformer blocks
 * @param heads attention heads
 */
public record ModelSize(String label, int embedDim, int depth, int heads) {
  public static final ModelSize MICRO = new ModelSize("micro", 64, 2, 4);
  public static final ModelSize MINI = new ModelSize("mini", 128, 4, 4);
  public static final ModelSize TINY = new ModelSize("tiny", 192, 12, 3);
  public static final ModelSize SMALL = new ModelSize("small", 384, 12, 6);
  public static final ModelSize BASE = new ModelSize("base", 768, 12, 12);
  public static final ModelSize LARGE = new ModelSize("large", 1024, 24, 16);

  /** Every size, smallest first. */
  public static List<ModelSize> all() {
    return List.of(MICRO, MINI, TINY, SMALL, BASE, LARGE);
  }

  /** The size called {@code label}. */
  public static ModelSize parse(String label) {
    return all().stream().filter(s -> s.label.equals(label)).findFirst().orElseThrow(() -> new ConfigException(
        "model: unknown size '" + label + "' (" + all().stream().map(ModelSize::label)
            .collect(Collectors.joining(", ")) + ")"));
  }
}
