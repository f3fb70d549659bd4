package dev.earshot.model;

import dev.earshot.tensor.Tensor;
import dev.earshot.tensor.TensorScope;
import dev.earshot.EarshotException;
import dev.earshot.model.mast.MultiscaleBlock;
import dev.earshot.model.mast.MultiscaleConfig;
import dev.earshot.model.mast.PoolingAttention;
import dev.earshot.nn.Container;
import dev.earshot.nn.Conv2d;
import dev.earshot.nn.LayerNorm;
import dev.earshot.nn.RandomSource;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * MAST, the multiscale audio spectrogram transformer: the AST patch stem (Conv2d 1 -> dims[0], 16 x 16,
 * stride 10) on the (frequency, time) spectrogram — 12 x T' tokens in frequency-major order — then MViTv2
 * stages that halve both grid axes and widen the channels at each stage's first block (12 x 50 at 96 wide ->
 * 6 x 25 at 192 -> 3 x 13 at 384 -> 2 x 7 at 768 for 512 frames), a final LayerNorm, mean pooling over the
 * last tokens and an optional LayerNorm + Linear head. Parameter paths follow timm's {@code MultiScaleVit}
 * ({@code patch_embed.proj}, {@code stages.<s>.blocks.<b>...}, {@code norm}); the head is {@code head.norm} /
 * {@code head.linear} like earshot's other classifiers.
 */
public final class MultiscaleTransformer extends Encoder {
  private final MultiscaleConfig config;
  private final RandomSource random;
  private final Conv2d stem;
  private final List<MultiscaleBlock> blocks = new ArrayList<>();
  private final List<Integer> stageEnds = new ArrayList<>(); // index of each stage's last block
  private final LayerNorm norm;
  private final ClassifierHead head;

  public MultiscaleTransformer(TensorScope manager, MultiscaleConfig config, long seed) {
    super(manager);
    this.config = config;
    SplittableRandom rng = new SplittableRandom(seed);
    this.random = new RandomSource(seed ^ 0x5DEECE66DL);
    Container patchEmbed = child("patch_embed", new Container(manager));
    this.stem = patchEmbed.add("proj", new Conv2d(manager, 1, config.dims()[0], config.patch(),
        config.patchStride(), 0, 1, true, rng));
    int total = 0;
    for (int d : config.depths()) {
      total += d;
    }
    int side = config.relPosSide() > 0 ? config.relPosSide()
        : Math.max(config.freqPatches(), config.timePatches(config.frames()));
    int[] kv = config.stridesKv();
    Container stages = child("stages", new Container(manager));
    int dim = config.dims()[0];
    int index = 0;
    for (int s = 0; s < config.dims().length; s++) {
      Container stage = stages.add(Integer.toString(s), new Container(manager));
      Container stageBlocks = stage.add("blocks", new Container(manager));
      for (int b = 0; b < config.depths()[s]; b++) {
        int strideQ = b == 0 ? config.strideQ()[s] : 1;
        int rows = 2 * Math.max(side / strideQ, side / kv[s]) - 1; // timm's sizing on its square grid
        double dropPath = total == 1 ? 0 : config.dropPath() * index / (total - 1);
        MultiscaleBlock block = stageBlocks.add(Integer.toString(b), new MultiscaleBlock(manager, dim, config.dims()[s],
            config.heads()[s], config.mlpRatio(), config.kernel(), strideQ, kv[s], rows, dropPath, random, rng));
        blocks.add(block);
        dim = config.dims()[s];
        if (b == 0) {
          side = side / strideQ;
        }
        index++;
      }
      stageEnds.add(blocks.size() - 1);
    }
    this.norm = child("norm", new LayerNorm(manager, dim, 1e-6, true));
    this.head = config.numClasses() > 0
        ? child("head", new ClassifierHead(manager, dim, config.numClasses(), config.headNormEps(), rng)) : null;
  }

  public MultiscaleConfig config() {
    return config;
  }

  @Override
  public ModelDirectory.Manifest manifest(PretrainedSpec spec) {
    return ModelDirectory.Manifest.of(config, spec);
  }

  @Override
  public ModelDirectory.Manifest inferenceManifest(PretrainedSpec spec) {
    return ModelDirectory.Manifest.of(config.withDropPath(0), spec);
  }

  /** The generator behind drop-path; trainers reseed it every step. */
  @Override
  public RandomSource randomSource() {
    return random;
  }

  /** (B, T, F) spectrogram to (B, F' T', dims[0]) stem tokens, frequency-major, and their grid. */
  public StemOutput stem(Tensor input) {
    long b = input.getShape().get(0);
    int frames = (int) input.getShape().get(1);
    int bins = (int) input.getShape().get(2);
    if (bins != config.bins()) {
      throw new EarshotException("input has " + bins + " mel bins, the model expects " + config.bins());
    }
    if (frames < config.patch()) {
      throw new EarshotException("input has " + frames + " frames, fewer than one patch (" + config.patch() + ")");
    }
    Tensor image = input.transpose(0, 2, 1).reshape(b, 1, bins, frames); // (B, 1, F, T)
    Tensor maps = stem.forward(image); // (B, C, F', T')
    int h = (int) maps.getShape().get(2);
    int w = (int) maps.getShape().get(3);
    return new StemOutput(maps.reshape(b, maps.getShape().get(1), (long) h * w).transpose(0, 2, 1),
        new PoolingAttention.Grid(h, w));
  }

  /** Stem tokens and their grid. */
  public record StemOutput(Tensor tokens, PoolingAttention.Grid grid) {}

  /** Runs the stages and the final norm on stem tokens: (B, N, dims[0]) to (B, N_last, dims[-1]) and its grid. */
  public PoolingAttention.Output stages(Tensor tokens, PoolingAttention.Grid grid) {
    Tensor x = tokens;
    PoolingAttention.Grid g = grid;
    for (MultiscaleBlock block : blocks) {
      PoolingAttention.Output o = block.forward(x, g);
      x = o.x();
      g = o.grid();
    }
    return new PoolingAttention.Output(norm.forward(x), g);
  }

  /** Each stage's output (before the final norm) with its grid, for a (B, T, F) input. */
  public List<PoolingAttention.Output> stageOutputs(Tensor input) {
    StemOutput s = stem(input);
    Tensor x = s.tokens();
    PoolingAttention.Grid g = s.grid();
    List<PoolingAttention.Output> out = new ArrayList<>();
    for (int i = 0; i < blocks.size(); i++) {
      PoolingAttention.Output o = blocks.get(i).forward(x, g);
      x = o.x();
      g = o.grid();
      if (stageEnds.contains(i)) {
        out.add(o);
      }
    }
    return out;
  }

  /** (B, T, F) to the (B, N_last, D) encoder output. */
  public Tensor features(Tensor input) {
    StemOutput s = stem(input);
    return stages(s.tokens(), s.grid()).x();
  }

  /** (B, T, F) to the (B, D) clip embedding: the mean of the last stage's tokens. */
  @Override
  public Tensor clipEmbedding(Tensor input) {
    return features(input).mean(new int[] {1});
  }

  @Override
  public boolean hasHead() {
    return head != null;
  }

  /** (B, T, F) to (B, classes) logits. */
  @Override
  public Tensor forward(Tensor input) {
    if (head == null) {
      throw new EarshotException("this model has no classifier head (numClasses = 0)");
    }
    return head.forward(clipEmbedding(input));
  }

  @Override
  public int depth() {
    return blocks.size();
  }

  @Override
  public int inputFrames() {
    return config.frames();
  }

  @Override
  public int embedDim() {
    return config.embedDim();
  }

  @Override
  public int numClasses() {
    return config.numClasses();
  }

  /**
   * Layer k (1..depth) reads the output of block k, 0 the stem tokens, -1 the final (normalised) output; the
   * clip embedding is the mean of those tokens. Tokens are frequency-major on the layer's grid.
   */
  @Override
  public Encoding encode(Tensor input, Readout readout, boolean withLogits) {
    readout.requireLayersOf(blocks.size());
    if (readout.poolingOr(Pooling.MEAN_PATCHES) != Pooling.MEAN_PATCHES) {
      throw new EarshotException("readout: MAST models pool by the mean of their tokens (they have no CLS token)");
    }
    StemOutput s = stem(input);
    Tensor x = s.tokens();
    PoolingAttention.Grid g = s.grid();
    int hop = config.patchStride();
    List<Integer> layers = readout.layers();
    Tensor[] chosen = new Tensor[layers.size()];
    PoolingAttention.Grid[] grids = new PoolingAttention.Grid[layers.size()];
    int[] hops = new int[layers.size()];
    keep(layers, 0, x, g, hop, chosen, grids, hops);
    for (int i = 0; i < blocks.size(); i++) {
      int before = g.w();
      PoolingAttention.Output o = blocks.get(i).forward(x, g);
      x = o.x();
      g = o.grid();
      if (g.w() < before) {
        hop *= 2;
      }
      keep(layers, i + 1, x, g, hop, chosen, grids, hops);
    }
    Tensor out = norm.forward(x);
    keep(layers, -1, out, g, hop, chosen, grids, hops);
    Tensor tokens = chosen[0];
    for (int k = 1; k < chosen.length; k++) {
      if (grids[k].w() != grids[0].w() || grids[k].h() != grids[0].h()
          || chosen[k].getShape().get(2) != chosen[0].getShape().get(2)) {
        throw new EarshotException("readout: layers " + layers.get(0) + " and " + layers.get(k) + " of this MAST model"
            + " lie in different stages (other grid or width) and cannot be averaged");
      }
      tokens = tokens.add(chosen[k]);
    }
    if (chosen.length > 1) {
      tokens = tokens.mul(1f / chosen.length);
    }
    Tensor logits = withLogits && head != null ? head.forward(out.mean(new int[] {1})) : null;
    Tensor pooled = tokens.mean(new int[] {1});
    if (readout.bands()) {
      pooled = bandPooled(tokens, grids[0].w(), grids[0].h(), TokenOrder.FREQUENCY_MAJOR, readout.timeStd());
    } else if (readout.timeStd()) {
      pooled = withTimeStd(pooled, tokens, grids[0].w(), grids[0].h(), TokenOrder.FREQUENCY_MAJOR);
    }
    return new Encoding(tokens, pooled, logits, grids[0].w(), grids[0].h(), TokenOrder.FREQUENCY_MAJOR, hops[0]);
  }

  /** Records {@code x} for every position of {@code layers} that asks for {@code layer}. */
  private static void keep(List<Integer> layers, int layer, Tensor x, PoolingAttention.Grid g, int hop, Tensor[] chosen,
      PoolingAttention.Grid[] grids, int[] hops) {
    for (int k = 0; k < layers.size(); k++) {
      if (layers.get(k) == layer) {
        chosen[k] = x;
        grids[k] = g;
        hops[k] = hop;
      }
    }
  }

}
