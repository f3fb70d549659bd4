package dev.earshot.model;

import dev.earshot.model.mast.MultiscaleConfig;
import java.util.function.IntFunction;

/**
 * The named architectures of {@link ModelRegistry}: a layout, named {@code PREFIX-SIZE[-SUFFIX]} at every
 * {@link ModelSize} it is published in.
 */
public enum ModelFamily {
  /** SSAST's patch model: DeiT layout, 16 x 16 patches without overlap, frequency-major tokens. */
  SSAST_PATCH("ssast-", "-patch", frames -> AudioTransformerConfig.deit(
      PatchGrid.patches16(frames, 128, 16, TokenOrder.FREQUENCY_MAJOR))),
  /** SSAST's frame model: DeiT layout, 2-frame x 128-bin patches. */
  SSAST_FRAME("ssast-", "-frame", frames -> AudioTransformerConfig.deit(
      new PatchGrid(frames, 128, 2, 128, 2, 128, TokenOrder.FREQUENCY_MAJOR))),
  /** AST's fine-tuning geometry: the SSAST encoder with overlapping patches (stride 10), CLS/distillation pooling. */
  AST("ast-", "", frames -> AudioTransformerConfig.deit(
      PatchGrid.patches16(frames, 128, 10, TokenOrder.FREQUENCY_MAJOR)).pooling(Pooling.CLS_DIST_MEAN)),
  /** EAT's post-LN data2vec encoder with sin-cos positions and time-major tokens. */
  EAT("eat-", "", frames -> AudioTransformerConfig.data2vec(
      PatchGrid.patches16(frames, 128, 16, TokenOrder.TIME_MAJOR))),
  /** A plain pre-LN ViT with one CLS token and learned positions, time-major tokens (ASiT's). */
  VIT("vit-", "", frames -> AudioTransformerConfig.vit(PatchGrid.patches16(frames, 128, 16, TokenOrder.TIME_MAJOR))),
  /** MAST, the multiscale encoder ({@link MultiscaleConfig#preset}); no large size. */
  MAST("mast-", "", null);

  private final String prefix;
  private final String suffix;
  private final IntFunction<AudioTransformerConfig.Builder> layout;

  ModelFamily(String prefix, String suffix, IntFunction<AudioTransformerConfig.Builder> layout) {
    this.prefix = prefix;
    this.suffix = suffix;
    this.layout = layout;
  }

  /** The model name of this family at {@code size}, e.g. {@code ssast-micro-patch}. */
  public String modelName(ModelSize size) {
    return prefix + size.label() + suffix;
  }

  /** The model name of this family at the size called {@code size} ({@code micro}, {@code tiny}, ...). */
  public String modelName(String size) {
    return modelName(ModelSize.parse(size));
  }

  /** True for MAST, whose models are {@link MultiscaleTransformer}s. */
  public boolean multiscale() {
    return layout == null;
  }

  /** True when the family is published at {@code size}. */
  public boolean has(ModelSize size) {
    return !multiscale() || !size.equals(ModelSize.LARGE);
  }

  /** The size in {@code name} if it names a model of this family, else null. */
  ModelSize sizeOf(String name) {
    if (name == null || !name.startsWith(prefix) || !name.endsWith(suffix)
        || name.length() <= prefix.length() + suffix.length()) {
      return null;
    }
    String label = name.substring(prefix.length(), name.length() - suffix.length());
    return ModelSize.all().stream().filter(s -> s.label().equals(label) && has(s)).findFirst().orElse(null);
  }

  /** The ViT-family configuration of this family at {@code size} (not for MAST). */
  AudioTransformerConfig config(ModelSize size, int frames, int classes) {
    return layout.apply(frames).size(size).numClasses(classes).build();
  }

  /** The MAST configuration at {@code size}. */
  MultiscaleConfig multiscale(ModelSize size, int frames, int classes) {
    return MultiscaleConfig.preset(size.label(), frames, classes);
  }
}
