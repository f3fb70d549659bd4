package dev.earshot.model;

import dev.earshot.tensor.Tensor;
import dev.earshot.tensor.TensorScope;
import dev.earshot.tensor.Index;
import dev.earshot.tensor.Shape;
import dev.earshot.EarshotException;
import dev.earshot.nn.Init;
import dev.earshot.nn.LayerNorm;
import dev.earshot.nn.Module;
import dev.earshot.nn.Parameter;
import dev.earshot.nn.RandomSource;
import dev.earshot.nn.TransformerBlock;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The ViT/AST encoder family of SSAST, AST, EAT and ASiT, configured by {@link AudioTransformerConfig}.
 *
 * <p>Parameter paths (timm names; importers map each source onto them): {@code patch_embed.proj.weight},
 * {@code patch_embed.proj.bias}, {@code cls_token}, {@code dist_token}, {@code pos_embed} (learned only),
 * {@code input_norm.*}, {@code blocks.i.{norm1,attn.qkv,attn.proj,norm2,mlp.fc1,mlp.fc2}.*},
 * {@code norm.*}, {@code head.norm.*}, {@code head.linear.*}.
 *
 * <p>The forward pass is split so that pretraining methods can step in between:
 * <pre>
 *   input (B, T, F) --patchTokens--> (B, N, D) --[mask tokens]--> --addPatchPositions--> (B, N, D)
 *     --[drop masked tokens]--> --prependSpecialTokens--> (B, S + N', D) --encode--> (B, S + N', D)
 *     --pool--> (B, D) --classify--> (B, classes)
 * </pre>
 * Learned tables add positions to the special tokens as well (SSAST/AST add one (S + N)-row table after
 * concatenation; adding the two parts separately is the same sum). EAT's sin-cos table leaves the CLS
 * token without position.
 */
public final class AudioTransformer extends Encoder {
  private final AudioTransformerConfig config;
  private final RandomSource random;
  private final PatchEmbed patchEmbed;
  private final Parameter clsToken;
  private final Parameter distToken;
  private final Parameter posEmbed;
  private final Tensor sinCosTable; // (maxTimePatches * F', D), a constant, not a parameter
  private final LayerNorm inputNorm;
  private final List<TransformerBlock> blocks = new ArrayList<>();
  private final LayerNorm norm;
  private final ClassifierHead head;

  /**
   * Builds the model with seeded initial weights (timm ViT initialisation).
   *
   * @param manager owns the parameters
   * @param config the architecture
   * @param seed seed of the initial weights and of the drop-path generator
   */
  public AudioTransformer(TensorScope manager, AudioTransformerConfig config, long seed) {
    super(manager);
    this.config = config;
    SplittableRandom rng = new SplittableRandom(seed);
    this.random = new RandomSource(seed ^ 0x5DEECE66DL);
    int d = config.embedDim();
    PatchGrid grid = config.grid();
    this.patchEmbed = child("patch_embed", new PatchEmbed(manager, grid, d, rng));
    this.clsToken = config.specialTokens() >= 1
        ? parameter("cls_token", Init.truncatedNormal(d, 0.02, rng), new Shape(1, 1, d), false) : null;
    this.distToken = config.specialTokens() == 2
        ? parameter("dist_token", Init.truncatedNormal(d, 0.02, rng), new Shape(1, 1, d), false) : null;
    if (config.positions() == PositionEncoding.LEARNED) {
      int rows = config.specialTokens() + grid.numPatches();
      this.posEmbed = parameter("pos_embed", Init.truncatedNormal(rows * d, 0.02, rng), new Shape(1, rows, d), false);
      this.sinCosTable = null;
    } else if (config.positions() == PositionEncoding.SINCOS_2D) {
      this.posEmbed = null;
      int rows = config.maxTimePatches() * grid.freqPatches();
      this.sinCosTable = manager.create(SinCosPositions.table(config.maxTimePatches(), grid.freqPatches(), d), new Shape(rows, d));
    } else {
      this.posEmbed = null;
      this.sinCosTable = null;
    }
    this.inputNorm = config.inputNorm() ? child("input_norm", new LayerNorm(manager, d, config.layerNormEps(), true))
        : null;
    Module blockList = child("blocks", new BlockList(manager));
    for (int i = 0; i < config.depth(); i++) {
      double dropPath = config.depth() == 1 ? 0 : config.dropPath() * i / (config.depth() - 1);
      TransformerBlock block = new TransformerBlock(manager, d, config.heads(), config.mlpHidden(), config.qkvBias(),
          config.layerNormEps(), config.normPlacement(), config.dropout(), config.attentionDropout(), dropPath,
          random, rng);
      ((BlockList) blockList).add(block);
      blocks.add(block);
    }
    this.norm = config.finalNorm() ? child("norm", new LayerNorm(manager, d, config.layerNormEps(), true)) : null;
    this.head = config.numClasses() > 0
        ? child("head", new ClassifierHead(manager, d, config.numClasses(), config.headNormEps(), rng)) : null;
  }

  /** Holds the blocks so that their paths are {@code blocks.0}, {@code blocks.1}, ... */
  private static final class BlockList extends Module {
    private int size;

    BlockList(TensorScope manager) {
      super(manager);
    }

    void add(TransformerBlock block) {
      child(Integer.toString(size++), block);
    }
  }

  public AudioTransformerConfig config() {
    return config;
  }

  @Override
  public ModelDirectory.Manifest manifest(PretrainedSpec spec) {
    return ModelDirectory.Manifest.of(config, spec);
  }

  @Override
  public ModelDirectory.Manifest inferenceManifest(PretrainedSpec spec) {
    return ModelDirectory.Manifest.of(config.withRegularisation(0, 0, 0), spec);
  }

  /** The generator behind drop-path; trainers reseed it every step. */
  @Override
  public RandomSource randomSource() {
    return random;
  }

  /** Number of special tokens in front of the patches. */
  public int specialTokens() {
    return config.specialTokens();
  }

  /** (B, T, F) to (B, N, D) patch tokens, without positions. */
  public Tensor patchTokens(Tensor input) {
    int frames = (int) input.getShape().get(1);
    int bins = (int) input.getShape().get(2);
    PatchGrid grid = config.grid();
    if (bins != grid.inputBins()) {
      throw new EarshotException(
          "input has " + bins + " mel bins, the model expects " + grid.inputBins());
    }
    if (config.positions() == PositionEncoding.LEARNED && frames != grid.inputFrames()) {
      throw new EarshotException("input has " + frames + " frames, this model's learned positions need exactly "
          + grid.inputFrames() + " (pad or crop the input, e.g. FrontEnd targetFrames)");
    }
    if (config.positions() == PositionEncoding.SINCOS_2D && grid.timePatches(frames) > config.maxTimePatches()) {
      throw new EarshotException("input has " + frames + " frames (" + grid.timePatches(frames)
          + " time patches), more than the " + config.maxTimePatches() + " the position table covers");
    }
    if (frames < grid.patchFrames()) {
      throw new EarshotException("input has " + frames + " frames, fewer than one patch (" + grid.patchFrames() + ")");
    }
    return patchEmbed.forward(input);
  }

  /** Adds the patch positions to (B, N, D) tokens of an input of {@code frames} frames. */
  public Tensor addPatchPositions(Tensor tokens, int frames) {
    int n = (int) tokens.getShape().get(1);
    switch (config.positions()) {
      case LEARNED:
        Tensor rows = attachToInput(posEmbed.array().get(Index.of(":, {}:", config.specialTokens())), tokens);
        return tokens.add(rows);
      case SINCOS_2D:
        // time-major rows t * F' + f: the first N rows are exactly the input's grid
        Tensor table = attachToInput(sinCosTable.get(Index.of("0:{}", n)), tokens);
        return tokens.add(table);
      default:
        return tokens;
    }
  }

  /** Prepends the special tokens (with their learned positions) to (B, N, D), giving (B, S + N, D). */
  public Tensor prependSpecialTokens(Tensor tokens) {
    if (config.specialTokens() == 0) {
      return tokens;
    }
    long b = tokens.getShape().get(0);
    long d = config.embedDim();
    List<Tensor> parts = new ArrayList<>();
    Parameter[] specials = config.specialTokens() == 2 ? new Parameter[] {clsToken, distToken}
        : new Parameter[] {clsToken};
    for (int i = 0; i < specials.length; i++) {
      Tensor token = specials[i].array();
      if (posEmbed != null) {
        Tensor position = attachToInput(posEmbed.array().get(Index.of(":, {}:{}", i, i + 1)), tokens);
        token = attachToInput(token.add(position), tokens);
      }
      parts.add(attachToInput(token.broadcast(new Shape(b, 1, d)), tokens));
    }
    parts.add(tokens);
    return Tensor.concat(parts, 1);
  }

  /**
   * Runs the blocks on a (B, S + N, D) sequence. When {@code hiddenStates} is not null it receives the
   * block inputs and outputs: index 0 = input to the first block (after the input norm), index k = output
   * of block k (before the final norm).
   *
   * @return the last block's output, after the final norm if the model has one
   */
  public Tensor encode(Tensor sequence, List<Tensor> hiddenStates) {
    Tensor x = inputNorm == null ? sequence : inputNorm.forward(sequence);
    if (hiddenStates != null) {
      hiddenStates.add(x);
    }
    for (TransformerBlock block : blocks) {
      x = block.forward(x);
      if (hiddenStates != null) {
        hiddenStates.add(x);
      }
    }
    return norm == null ? x : norm.forward(x);
  }

  /** The blocks, for methods that need per-block outputs (EAT's targets). */
  public List<TransformerBlock> blocks() {
    return List.copyOf(blocks);
  }

  /** Applies the input norm if the model has one (EAT's context encoder). */
  public Tensor inputNorm(Tensor sequence) {
    return inputNorm == null ? sequence : inputNorm.forward(sequence);
  }

  /** Applies the final norm if the model has one. */
  public Tensor finalNorm(Tensor x) {
    return norm == null ? x : norm.forward(x);
  }

  /** The full unmasked embedding: (B, T, F) to (B, S + N, D). */
  public Tensor embed(Tensor input) {
    int frames = (int) input.getShape().get(1);
    return prependSpecialTokens(addPatchPositions(patchTokens(input), frames));
  }

  /** (B, T, F) to (B, S + N, D) encoder output. */
  public Tensor features(Tensor input) {
    return encode(embed(input), null);
  }

  /** (B, S + N, D) to the (B, D) clip vector by the configured pooling. */
  public Tensor pool(Tensor hidden) {
    return pool(hidden, config.pooling());
  }

  /** (B, S + N, D) to the (B, D) clip vector by {@code pooling}. */
  private Tensor pool(Tensor hidden, Pooling pooling) {
    int s = config.specialTokens();
    switch (pooling) {
      case CLS:
        return hidden.get(Index.of(":, 0, :"));
      case CLS_DIST_MEAN:
        return hidden.get(Index.of(":, 0, :")).add(hidden.get(Index.of(":, 1, :"))).mul(0.5f);
      default:
        return hidden.get(Index.of(":, {}:, :", s)).mean(new int[] {1});
    }
  }

  /** True when the model has a classifier head. */
  @Override
  public boolean hasHead() {
    return head != null;
  }

  /** (B, D) pooled vectors to (B, classes) logits. */
  public Tensor classify(Tensor pooled) {
    if (head == null) {
      throw new EarshotException("this model has no classifier head (numClasses = 0)");
    }
    return head.forward(pooled);
  }

  /** (B, T, F) input to (B, classes) logits. */
  @Override
  public Tensor forward(Tensor input) {
    return classify(pool(features(input)));
  }

  @Override
  public int depth() {
    return config.depth();
  }

  @Override
  public int inputFrames() {
    return config.grid().inputFrames();
  }

  @Override
  public int embedDim() {
    return config.embedDim();
  }

  @Override
  public int numClasses() {
    return config.numClasses();
  }

  @Override
  public Tensor clipEmbedding(Tensor input) {
    return pool(features(input));
  }

  @Override
  public Encoding encode(Tensor input, Readout readout, boolean withLogits) {
    readout.requireLayersOf(config.depth());
    Pooling pooling = readout.poolingOr(config.pooling());
    int specials = config.specialTokens();
    if (pooling == Pooling.CLS && specials < 1 || pooling == Pooling.CLS_DIST_MEAN && specials < 2) {
      throw new EarshotException("readout: " + pooling.label() + " pooling needs " + (pooling == Pooling.CLS ? "a CLS"
          : "CLS and distillation") + " token(s); this model has " + specials);
    }
    int frames = (int) input.getShape().get(1);
    List<Tensor> hidden = new ArrayList<>();
    Tensor out = encode(embed(input), hidden);
    Tensor tokens = null;
    Tensor pooled = null;
    for (int layer : readout.layers()) {
      Tensor chosen = layer >= 0 ? hidden.get(layer) : out;
      Tensor t = chosen.get(Index.of(":, {}:, :", config.specialTokens()));
      Tensor p = pool(chosen, pooling);
      tokens = tokens == null ? t : tokens.add(t);
      pooled = pooled == null ? p : pooled.add(p);
    }
    if (readout.layers().size() > 1) {
      float share = 1f / readout.layers().size();
      tokens = tokens.mul(share);
      pooled = pooled.mul(share);
    }
    Tensor logits = withLogits && head != null ? classify(pool(out)) : null;
    PatchGrid grid = config.grid();
    if (readout.bands()) {
      pooled = bandPooled(tokens, grid.timePatches(frames), grid.freqPatches(), grid.order(), readout.timeStd());
    } else if (readout.timeStd()) {
      pooled = withTimeStd(pooled, tokens, grid.timePatches(frames), grid.freqPatches(), grid.order());
    }
    return new Encoding(tokens, pooled, logits, grid.timePatches(frames), grid.freqPatches(), grid.order(),
        grid.strideFrames());
  }

}
