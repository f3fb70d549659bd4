package dev.earshot.model;

import dev.earshot.tensor.TensorScope;
import dev.earshot.ConfigException;
import dev.earshot.model.mast.MultiscaleConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * Named architectures: a {@link ModelFamily} at a {@link ModelSize}, e.g. {@code ssast-base-patch},
 * {@code eat-micro}, {@code mast-small}. Sizes follow the published models: tiny (D 192, 3 heads), small (384,
 * 6), base (768, 12), large (1024, 16 heads, 24 blocks), all with 4x MLPs; {@code micro} (width 64, two blocks)
 * exists for tests and CPU demos. Families fix the layout:
 * <ul>
 *   <li>{@code ssast-*-patch}, {@code ssast-*-frame}: pre-LN DeiT with CLS + distillation tokens, learned
 *       positions, frequency-major tokens, 16x16 or 128x2 patches (SSAST pretraining);
 *   <li>{@code ast-*}: the same encoder with stride 10 (AST fine-tuning geometry);
 *   <li>{@code eat-*}: post-LN data2vec encoder, one CLS token, sin-cos positions, time-major tokens;
 *   <li>{@code vit-*}: a plain pre-LN ViT with one CLS token and learned positions (ASiT-style);
 *   <li>{@code mast-*}: the multiscale MAST encoder (micro to base).
 * </ul>
 * {@link #encoder} is the one factory from a name to a model.
 */
public final class ModelRegistry {
  private ModelRegistry() {}

  /** Every registered name. */
  public static List<String> names() {
    List<String> out = new ArrayList<>();
    for (ModelSize size : ModelSize.all()) {
      for (ModelFamily family : ModelFamily.values()) {
        if (family.has(size)) {
          out.add(family.modelName(size));
        }
      }
    }
    return out;
  }

  /** The family of the model called {@code name}. */
  public static ModelFamily family(String name) {
    for (ModelFamily family : ModelFamily.values()) {
      if (family.sizeOf(name) != null) {
        return family;
      }
    }
    throw new ConfigException("model: unknown name '" + name + "' (known: " + names() + ")");
  }

  /** True for the MAST names ({@code mast-micro}, {@code mast-tiny}, {@code mast-small}, {@code mast-base}). */
  public static boolean isMultiscale(String name) {
    return ModelFamily.MAST.sizeOf(name) != null;
  }

  /** The MAST configuration called {@code name}. */
  public static MultiscaleConfig multiscale(String name, int frames, int classes) {
    ModelSize size = ModelFamily.MAST.sizeOf(name);
    if (size == null) {
      throw new ConfigException("model: '" + name + "' is not a MAST model (mast-micro, mast-mini, mast-tiny,"
          + " mast-small, mast-base)");
    }
    return ModelFamily.MAST.multiscale(size, frames, classes);
  }

  /**
   * The configuration called {@code name} for inputs of {@code frames} frames with {@code classes} outputs (0
   * for an encoder).
   */
  public static AudioTransformerConfig get(String name, int frames, int classes) {
    if (isMultiscale(name)) {
      throw new ConfigException("model: '" + name + "' is a MAST model; this method takes the ViT family (use mast-"
          + " names where MAST is accepted: finetune --scratch, pretrain --method ssmast)");
    }
    ModelFamily family = family(name);
    return family.config(family.sizeOf(name), frames, classes);
  }

  /**
   * A freshly initialised model called {@code name}, whatever its architecture.
   *
   * @param manager owns the parameters
   * @param seed seed of the initial weights and of the drop-path generator
   */
  public static Encoder encoder(String name, int frames, int classes, TensorScope manager, long seed) {
    return isMultiscale(name) ? new MultiscaleTransformer(manager, multiscale(name, frames, classes), seed)
        : new AudioTransformer(manager, get(name, frames, classes), seed);
  }
}
