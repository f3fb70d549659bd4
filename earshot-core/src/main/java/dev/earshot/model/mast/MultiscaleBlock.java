package dev.earshot.model.mast;

import dev.earshot.tensor.Tensor;
import dev.earshot.tensor.TensorScope;
import dev.earshot.tensor.Shape;
import dev.earshot.nn.DropPath;
import dev.earshot.nn.LayerNorm;
import dev.earshot.nn.Linear;
import dev.earshot.nn.Mlp;
import dev.earshot.nn.Module;
import dev.earshot.nn.RandomSource;
import java.util.random.RandomGenerator;

/**
 * One MViTv2 block (timm {@code MultiScaleBlock} with {@code expand_attn}, no class token): pre-LN pooling
 * attention whose shortcut is the input — or {@code shortcut_proj_attn}(LN(x)) when the width changes —
 * max-pooled (kernel s + 1, stride s, padding (s + 1) / 2) when the block pools its queries with stride s; then
 * a pre-LN MLP (ratio 4) with a plain residual. Drop-path on both branches.
 */
public final class MultiscaleBlock extends Module {
  private final LayerNorm norm1;
  private final Linear shortcutProj;
  private final int strideQ;
  private final PoolingAttention attn;
  private final LayerNorm norm2;
  private final Mlp mlp;
  private final DropPath dropPath;

  public MultiscaleBlock(TensorScope manager, int dim, int dimOut, int heads, double mlpRatio, int kernel, int strideQ,
      int strideKv, int tableRows, double dropPath, RandomSource random, RandomGenerator rng) {
    super(manager);
    this.norm1 = child("norm1", new LayerNorm(manager, dim, 1e-6, true));
    this.shortcutProj = dim != dimOut ? child("shortcut_proj_attn", Linear.vit(manager, dim, dimOut, true, rng)) : null;
    this.strideQ = strideQ;
    this.attn = child("attn", new PoolingAttention(manager, dim, dimOut, heads, kernel, strideQ, strideKv, tableRows,
        rng));
    this.norm2 = child("norm2", new LayerNorm(manager, dimOut, 1e-6, true));
    this.mlp = child("mlp", new Mlp(manager, dimOut, (int) (dimOut * mlpRatio), 0, rng));
    this.dropPath = new DropPath(manager, dropPath, random);
  }

  /** (B, H W, dim) on {@code grid} to (B, H' W', dimOut) on the returned grid. */
  public PoolingAttention.Output forward(Tensor x, PoolingAttention.Grid grid) {
    dropPath.setTraining(isTraining());
    Tensor normed = norm1.forward(x);
    Tensor shortcut = shortcutProj == null ? x : shortcutProj.forward(normed);
    if (strideQ > 1) {
      long b = shortcut.getShape().get(0);
      long c = shortcut.getShape().get(2);
      int k = strideQ + 1;
      Tensor image = shortcut.reshape(b, grid.h(), grid.w(), c).transpose(0, 3, 1, 2);
      Tensor pooled = image.maxPool2d(new long[] {k, k}, new long[] {strideQ, strideQ}, new long[] {k / 2, k / 2}, false);
      shortcut = pooled.reshape(b, c, -1).transpose(0, 2, 1);
    }
    PoolingAttention.Output a = attn.forward(normed, grid);
    Tensor h = shortcut.add(dropPath.forward(a.x()));
    Tensor out = h.add(dropPath.forward(mlp.forward(norm2.forward(h))));
    return new PoolingAttention.Output(out, a.grid());
  }
}
