package dev.earshot.model;

import dev.earshot.ConfigException;
import dev.earshot.nn.NormPlacement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Named architectures. Sizes follow the published models: tiny (D 192, 3 heads), small (384, 6), base (768,
 * 12), large (1024, 16 heads, 24 blocks), all with 4x MLPs. Families fix the layout:
 * <ul>
 *   <li>{@code ssast-*-patch}, {@code ssast-*-frame}: pre-LN DeiT with CLS + distillation tokens, learned
 *       positions, frequency-major tokens, 16x16 or 128x2 patches on 1024 x 128 inputs (SSAST pretraining);
 *   <li>{@code ast-*}: the same encoder with stride 10 (AST fine-tuning geometry);
 *   <li>{@code eat-*}: post-LN data2vec encoder, one CLS token, sin-cos positions, time-major tokens;
 *   <li>{@code vit-*}: a plain pre-LN ViT with one CLS token and learned positions (ASiT-style).
 * </ul>
 * {@code tiny-*} variants with two blocks and width 64 exist for tests and CPU demos ({@code micro}).
 */
public final class ModelRegistry {
  private record Size(int dim, int depth, int heads) {}

  private static final Map<String, Size> SIZES = new LinkedHashMap<>();

  static {
    SIZES.put("micro", new Size(64, 2, 4));
    SIZES.put("tiny", new Size(192, 12, 3));
    SIZES.put("small", new Size(384, 12, 6));
    SIZES.put("base", new Size(768, 12, 12));
    SIZES.put("large", new Size(1024, 24, 16));
  }

  private ModelRegistry() {}

  /** Every registered name. */
  public static java.util.List<String> names() {
    java.util.List<String> out = new java.util.ArrayList<>();
    for (String size : SIZES.keySet()) {
      out.add("ssast-" + size + "-patch");
      out.add("ssast-" + size + "-frame");
      out.add("ast-" + size);
      out.add("eat-" + size);
      out.add("vit-" + size);
      if (!size.equals("large")) {
        out.add("mast-" + size);
      }
    }
    return out;
  }

  /** True for the MAST names ({@code mast-micro}, {@code mast-tiny}, {@code mast-small}, {@code mast-base}). */
  public static boolean isMultiscale(String name) {
    return name != null && name.startsWith("mast-");
  }

  /** The MAST configuration called {@code name}. */
  public static dev.earshot.model.mast.MultiscaleConfig multiscale(String name, int frames, int classes) {
    if (!isMultiscale(name)) {
      throw new ConfigException("model: '" + name + "' is not a MAST model (mast-micro, mast-tiny, mast-small, mast-base)");
    }
    return dev.earshot.model.mast.MultiscaleConfig.preset(name.substring("mast-".length()), frames, classes);
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
    String[] parts = name.split("-");
    if (parts.length < 2 || !SIZES.containsKey(parts[1])) {
      throw new ConfigException("model: unknown name '" + name + "' (known: " + names() + ")");
    }
    Size s = SIZES.get(parts[1]);
    int mlp = 4 * s.dim();
    switch (parts[0] + (parts.length > 2 ? "-" + parts[2] : "")) {
      case "ssast-patch":
        return new AudioTransformerConfig(new PatchGrid(frames, 128, 16, 16, 16, 16, TokenOrder.FREQUENCY_MAJOR),
            s.dim(), s.depth(), s.heads(), mlp, true, 1e-6, NormPlacement.PRE_LN, 2, PositionEncoding.LEARNED, 0,
            false, true, 0, 0, 0, Pooling.MEAN_PATCHES, classes, 1e-5);
      case "ssast-frame":
        return new AudioTransformerConfig(new PatchGrid(frames, 128, 2, 128, 2, 128, TokenOrder.FREQUENCY_MAJOR),
            s.dim(), s.depth(), s.heads(), mlp, true, 1e-6, NormPlacement.PRE_LN, 2, PositionEncoding.LEARNED, 0,
            false, true, 0, 0, 0, Pooling.MEAN_PATCHES, classes, 1e-5);
      case "ast":
        return new AudioTransformerConfig(new PatchGrid(frames, 128, 16, 16, 10, 10, TokenOrder.FREQUENCY_MAJOR),
            s.dim(), s.depth(), s.heads(), mlp, true, 1e-6, NormPlacement.PRE_LN, 2, PositionEncoding.LEARNED, 0,
            false, true, 0, 0, 0, Pooling.CLS_DIST_MEAN, classes, 1e-5);
      case "eat":
        return new AudioTransformerConfig(new PatchGrid(frames, 128, 16, 16, 16, 16, TokenOrder.TIME_MAJOR),
            s.dim(), s.depth(), s.heads(), mlp, true, 1e-6, NormPlacement.POST_LN, 1, PositionEncoding.SINCOS_2D,
            Math.max(768, (frames - 16) / 16 + 1), true, false, 0, 0, 0, Pooling.CLS, classes, 1e-6);
      case "vit":
        return new AudioTransformerConfig(new PatchGrid(frames, 128, 16, 16, 16, 16, TokenOrder.TIME_MAJOR),
            s.dim(), s.depth(), s.heads(), mlp, true, 1e-6, NormPlacement.PRE_LN, 1, PositionEncoding.LEARNED, 0,
            false, true, 0, 0, 0, Pooling.CLS, classes, 1e-6);
      default:
        throw new ConfigException("model: unknown name '" + name + "' (known: " + names() + ")");
    }
  }
}
