package dev.earshot.model;

import static dev.earshot.ConfigException.require;

import dev.earshot.nn.NormPlacement;
import java.util.Objects;

/**
 * Everything that defines an {@link AudioTransformer} (the ViT/AST family). Validated on construction.
 *
 * @param grid patch geometry and token order
 * @param embedDim token width D
 * @param depth number of transformer blocks
 * @param heads attention heads (D must divide evenly)
 * @param mlpHidden hidden width of each block's MLP (4 D everywhere in the published models)
 * @param qkvBias whether the fused qkv projection has a bias
 * @param layerNormEps epsilon of every LayerNorm in the encoder (1e-6 timm/EAT, 1e-12 Hugging Face AST)
 * @param normPlacement pre-LN (timm) or post-LN (EAT) blocks
 * @param specialTokens 0, 1 (CLS) or 2 (CLS + distillation) tokens prepended to the patches
 * @param positions absolute position scheme
 * @param maxTimePatches rows of time in the sin-cos table (EAT: 768); ignored otherwise
 * @param inputNorm LayerNorm over the whole sequence before the first block (EAT's context encoder)
 * @param finalNorm LayerNorm after the last block (timm ViT; not EAT)
 * @param dropout dropout after attention projection and in the MLP
 * @param attentionDropout dropout on attention weights
 * @param dropPath stochastic depth of the last block (linearly 0 .. dropPath over the blocks)
 * @param pooling clip vector rule
 * @param numClasses classifier outputs, or 0 for an encoder without head
 * @param headNormEps epsilon of the head's LayerNorm (PyTorch default 1e-5 in SSAST/AST, 1e-6 EAT)
 */
public record AudioTransformerConfig(
    PatchGrid grid,
    int embedDim,
    int depth,
    int heads,
    int mlpHidden,
    boolean qkvBias,
    double layerNormEps,
    NormPlacement normPlacement,
    int specialTokens,
    PositionEncoding positions,
    int maxTimePatches,
    boolean inputNorm,
    boolean finalNorm,
    double dropout,
    double attentionDropout,
    double dropPath,
    Pooling pooling,
    int numClasses,
    double headNormEps) {

  public AudioTransformerConfig {
    Objects.requireNonNull(grid, "grid");
    Objects.requireNonNull(normPlacement, "normPlacement");
    Objects.requireNonNull(positions, "positions");
    Objects.requireNonNull(pooling, "pooling");
    require(embedDim > 0 && embedDim <= MAX_WIDTH, "embedDim", "must be in 1.." + MAX_WIDTH + ", got " + embedDim);
    require(depth >= 1 && depth <= MAX_DEPTH, "depth", "must be in 1.." + MAX_DEPTH + ", got " + depth);
    require(heads >= 1 && embedDim % heads == 0, "heads", embedDim + " is not divisible by " + heads + " heads");
    require(mlpHidden > 0 && mlpHidden <= 8 * MAX_WIDTH, "mlpHidden", "must be in 1.." + 8 * MAX_WIDTH + ", got "
        + mlpHidden);
    require(layerNormEps > 0 && layerNormEps < 1, "layerNormEps", "must be in (0, 1), got " + layerNormEps);
    require(specialTokens >= 0 && specialTokens <= 2, "specialTokens", "must be 0, 1 or 2, got " + specialTokens);
    require(pooling != Pooling.CLS || specialTokens >= 1, "pooling", "CLS pooling needs a CLS token");
    require(pooling != Pooling.CLS_DIST_MEAN || specialTokens == 2, "pooling",
        "CLS_DIST_MEAN pooling needs two special tokens");
    require(positions != PositionEncoding.SINCOS_2D || embedDim % 4 == 0, "embedDim",
        "must be divisible by 4 for 2-D sin-cos positions, got " + embedDim);
    require(positions != PositionEncoding.SINCOS_2D || maxTimePatches >= grid.timePatches(), "maxTimePatches",
        maxTimePatches + " is fewer than the grid's " + grid.timePatches() + " time patches");
    require(maxTimePatches >= 0 && maxTimePatches <= PatchGrid.MAX_FRAMES, "maxTimePatches", "must be in 0.."
        + PatchGrid.MAX_FRAMES + ", got " + maxTimePatches);
    require(dropout >= 0 && dropout < 1, "dropout", "must be in [0, 1), got " + dropout);
    require(attentionDropout >= 0 && attentionDropout < 1, "attentionDropout", "must be in [0, 1)");
    require(dropPath >= 0 && dropPath < 1, "dropPath", "must be in [0, 1), got " + dropPath);
    require(numClasses >= 0 && numClasses <= MAX_CLASSES, "numClasses", "must be in 0.." + MAX_CLASSES + ", got "
        + numClasses);
    require(headNormEps > 0 && headNormEps < 1, "headNormEps", "must be in (0, 1), got " + headNormEps);
  }

  /** Widest token accepted (ViT-22B is 6,144 wide). */
  public static final int MAX_WIDTH = 16384;
  /** Most blocks accepted. */
  public static final int MAX_DEPTH = 256;
  /** Most classifier outputs accepted. */
  public static final int MAX_CLASSES = 1_000_000;

  /** The same model with a classifier of {@code classes} outputs (0 removes the head). */
  public AudioTransformerConfig withClasses(int classes) {
    return new AudioTransformerConfig(grid, embedDim, depth, heads, mlpHidden, qkvBias, layerNormEps,
        normPlacement, specialTokens, positions, maxTimePatches, inputNorm, finalNorm, dropout,
        attentionDropout, dropPath, pooling, classes, headNormEps);
  }

  /** The same model on another grid (input length or stride). */
  public AudioTransformerConfig withGrid(PatchGrid newGrid) {
    return new AudioTransformerConfig(newGrid, embedDim, depth, heads, mlpHidden, qkvBias, layerNormEps,
        normPlacement, specialTokens, positions, maxTimePatches, inputNorm, finalNorm, dropout,
        attentionDropout, dropPath, pooling, numClasses, headNormEps);
  }

  /** The same model with another pooling rule. */
  public AudioTransformerConfig withPooling(Pooling newPooling) {
    return new AudioTransformerConfig(grid, embedDim, depth, heads, mlpHidden, qkvBias, layerNormEps,
        normPlacement, specialTokens, positions, maxTimePatches, inputNorm, finalNorm, dropout,
        attentionDropout, dropPath, newPooling, numClasses, headNormEps);
  }

  /** The same model with other regularisation (fine-tuning recipes change these). */
  public AudioTransformerConfig withRegularisation(double newDropout, double newAttentionDropout,
      double newDropPath) {
    return new AudioTransformerConfig(grid, embedDim, depth, heads, mlpHidden, qkvBias, layerNormEps,
        normPlacement, specialTokens, positions, maxTimePatches, inputNorm, finalNorm, newDropout,
        newAttentionDropout, newDropPath, pooling, numClasses, headNormEps);
  }
}
