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

  /**
   * SSAST's and AST's layout (timm's DeiT): pre-LN blocks, CLS and distillation tokens, learned positions over
   * every token, a final LayerNorm, qkv bias, LayerNorm epsilon 1e-6 in the encoder and PyTorch's 1e-5 in the head,
   * the mean of the patch tokens as clip vector; base width until {@link Builder#size} says otherwise.
   */
  public static Builder deit(PatchGrid grid) {
    return new Builder(grid).specialTokens(2).pooling(Pooling.MEAN_PATCHES).headNormEps(1e-5);
  }

  /**
   * EAT's layout (data2vec 2.0's encoder): post-LN blocks, one CLS token without position, 2-D sin-cos positions
   * with a table of at least 768 time rows, a LayerNorm over the whole input sequence and none after the last
   * block, CLS pooling, epsilon 1e-6 throughout.
   */
  public static Builder data2vec(PatchGrid grid) {
    return new Builder(grid).normPlacement(NormPlacement.POST_LN).positions(PositionEncoding.SINCOS_2D)
        .maxTimePatches(Math.max(768, grid.timePatches())).inputNorm(true).finalNorm(false);
  }

  /** A plain pre-LN ViT with one CLS token, learned positions, a final LayerNorm and CLS pooling (ASiT's). */
  public static Builder vit(PatchGrid grid) {
    return new Builder(grid);
  }

  /** A builder holding this configuration. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** The same model with a classifier of {@code classes} outputs (0 removes the head). */
  public AudioTransformerConfig withClasses(int classes) {
    return toBuilder().numClasses(classes).build();
  }

  /** The same model on another grid (input length or stride). */
  public AudioTransformerConfig withGrid(PatchGrid newGrid) {
    return toBuilder().grid(newGrid).build();
  }

  /** The same model with another pooling rule. */
  public AudioTransformerConfig withPooling(Pooling newPooling) {
    return toBuilder().pooling(newPooling).build();
  }

  /** The same model with other regularisation (fine-tuning recipes change these). */
  public AudioTransformerConfig withRegularisation(double newDropout, double newAttentionDropout,
      double newDropPath) {
    return toBuilder().dropout(newDropout).attentionDropout(newAttentionDropout).dropPath(newDropPath).build();
  }

  /**
   * Builds an {@link AudioTransformerConfig} from a preset ({@link #deit}, {@link #data2vec}, {@link #vit}) or
   * another configuration. Unset values are the ViT-base defaults: width 768, 12 blocks, 12 heads, MLP 4 x width,
   * qkv bias, pre-LN with epsilon 1e-6, one CLS token, learned positions, a final norm, no dropout, CLS pooling,
   * no head (head epsilon 1e-6). Validation happens in {@link #build()}.
   */
  public static final class Builder {
    private PatchGrid grid;
    private int embedDim = ModelSize.BASE.embedDim();
    private int depth = ModelSize.BASE.depth();
    private int heads = ModelSize.BASE.heads();
    private int mlpHidden = 4 * ModelSize.BASE.embedDim();
    private boolean qkvBias = true;
    private double layerNormEps = 1e-6;
    private NormPlacement normPlacement = NormPlacement.PRE_LN;
    private int specialTokens = 1;
    private PositionEncoding positions = PositionEncoding.LEARNED;
    private int maxTimePatches;
    private boolean inputNorm;
    private boolean finalNorm = true;
    private double dropout;
    private double attentionDropout;
    private double dropPath;
    private Pooling pooling = Pooling.CLS;
    private int numClasses;
    private double headNormEps = 1e-6;

    private Builder(PatchGrid grid) {
      this.grid = grid;
    }

    private Builder(AudioTransformerConfig c) {
      this(c.grid);
      width(c.embedDim, c.depth, c.heads, c.mlpHidden);
      qkvBias = c.qkvBias;
      layerNormEps = c.layerNormEps;
      normPlacement = c.normPlacement;
      specialTokens = c.specialTokens;
      positions = c.positions;
      maxTimePatches = c.maxTimePatches;
      inputNorm = c.inputNorm;
      finalNorm = c.finalNorm;
      dropout = c.dropout;
      attentionDropout = c.attentionDropout;
      dropPath = c.dropPath;
      pooling = c.pooling;
      numClasses = c.numClasses;
      headNormEps = c.headNormEps;
    }

    /** A published width: D, blocks and heads of {@code size}, MLP 4 D. */
    public Builder size(ModelSize size) {
      return width(size.embedDim(), size.depth(), size.heads(), 4 * size.embedDim());
    }

    /** Any width (imports read these from the checkpoint). */
    public Builder width(int newEmbedDim, int newDepth, int newHeads, int newMlpHidden) {
      embedDim = newEmbedDim;
      depth = newDepth;
      heads = newHeads;
      mlpHidden = newMlpHidden;
      return this;
    }

    public Builder grid(PatchGrid v) {
      grid = v;
      return this;
    }

    public Builder qkvBias(boolean v) {
      qkvBias = v;
      return this;
    }

    /** Epsilon of every LayerNorm in the encoder. */
    public Builder layerNormEps(double v) {
      layerNormEps = v;
      return this;
    }

    public Builder normPlacement(NormPlacement v) {
      normPlacement = v;
      return this;
    }

    public Builder specialTokens(int v) {
      specialTokens = v;
      return this;
    }

    public Builder positions(PositionEncoding v) {
      positions = v;
      return this;
    }

    public Builder maxTimePatches(int v) {
      maxTimePatches = v;
      return this;
    }

    public Builder inputNorm(boolean v) {
      inputNorm = v;
      return this;
    }

    public Builder finalNorm(boolean v) {
      finalNorm = v;
      return this;
    }

    public Builder dropout(double v) {
      dropout = v;
      return this;
    }

    public Builder attentionDropout(double v) {
      attentionDropout = v;
      return this;
    }

    public Builder dropPath(double v) {
      dropPath = v;
      return this;
    }

    public Builder pooling(Pooling v) {
      pooling = v;
      return this;
    }

    public Builder numClasses(int v) {
      numClasses = v;
      return this;
    }

    public Builder headNormEps(double v) {
      headNormEps = v;
      return this;
    }

    /** The configuration (validated). */
    public AudioTransformerConfig build() {
      return new AudioTransformerConfig(grid, embedDim, depth, heads, mlpHidden, qkvBias, layerNormEps,
          normPlacement, specialTokens, positions, maxTimePatches, inputNorm, finalNorm, dropout, attentionDropout,
          dropPath, pooling, numClasses, headNormEps);
    }
  }
}
