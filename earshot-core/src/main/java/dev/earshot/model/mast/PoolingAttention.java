package dev.earshot.model.mast;

import dev.earshot.tensor.Tensor;
import dev.earshot.tensor.TensorScope;
import dev.earshot.tensor.Shape;
import dev.earshot.nn.Conv2d;
import dev.earshot.nn.Init;
import dev.earshot.nn.LayerNorm;
import dev.earshot.nn.Linear;
import dev.earshot.nn.Module;
import dev.earshot.nn.Parameter;
import java.util.random.RandomGenerator;

/**
 * MViTv2's pooling attention (timm {@code MultiScaleAttention}, conv mode, no class token): a fused
 * {@code qkv} projection to {@code dimOut}; queries, keys and values pooled per head on the (H, W) grid by a
 * depthwise k x k convolution without bias (stride {@code strideQ} for queries, {@code strideKv} for keys and
 * values, padding k / 2) and a LayerNorm over the head dimension; softmax(q k^T / sqrt(d) + decomposed
 * relative positions) v; the pooled queries added back (residual pooling); {@code proj}.
 *
 * <p>Relative positions: for query (i, j) and key (m, n) the bias is q . R_h[dist_h(i, m)] + q . R_w[dist_w(j,
 * n)] with dist = i r_q - m r_k + (k - 1) r_k, r_q = max(k / q, 1), r_k = max(q / k, 1) per axis (timm's
 * {@code cal_rel_pos_type}). The tables {@code rel_pos_h} and {@code rel_pos_w} have a fixed number of rows;
 * a grid that needs more rows uses the table linearly interpolated to that length (MViTv2's original
 * {@code get_rel_pos}), so inputs of any length work.
 */
public final class PoolingAttention extends Module {
  private final int heads;
  private final int headDim;
  private final int dimOut;
  private final float scale;
  private final Linear qkv;
  private final Linear proj;
  private final Conv2d poolQ;
  private final Conv2d poolK;
  private final Conv2d poolV;
  private final LayerNorm normQ;
  private final LayerNorm normK;
  private final LayerNorm normV;
  private final Parameter relPosH;
  private final Parameter relPosW;
  private final int tableRows;

  /** A grid size. */
  public record Grid(int h, int w) {
    public int tokens() {
      return h * w;
    }

    /** The grid after a k x k pooling with this stride and padding k / 2. */
    public Grid pooled(int kernel, int stride) {
      int pad = kernel / 2;
      return new Grid((h + 2 * pad - kernel) / stride + 1, (w + 2 * pad - kernel) / stride + 1);
    }
  }

  /**
   * @param tableRows rows of each relative-position table (timm: 2 max(q size, kv size) - 1 on its square grid)
   */
  public PoolingAttention(TensorScope manager, int dim, int dimOut, int heads, int kernel, int strideQ, int strideKv,
      int tableRows, RandomGenerator rng) {
    super(manager);
    this.heads = heads;
    this.dimOut = dimOut;
    this.headDim = dimOut / heads;
    this.scale = (float) Math.pow(headDim, -0.5);
    this.tableRows = tableRows;
    this.qkv = child("qkv", Linear.vit(manager, dim, 3 * dimOut, true, rng));
    this.proj = child("proj", Linear.vit(manager, dimOut, dimOut, true, rng));
    int pad = kernel / 2;
    this.poolQ = child("pool_q", new Conv2d(manager, headDim, headDim, kernel, strideQ, pad, headDim, false, rng));
    this.normQ = child("norm_q", new LayerNorm(manager, headDim, 1e-6, true));
    this.poolK = child("pool_k", new Conv2d(manager, headDim, headDim, kernel, strideKv, pad, headDim, false, rng));
    this.normK = child("norm_k", new LayerNorm(manager, headDim, 1e-6, true));
    this.poolV = child("pool_v", new Conv2d(manager, headDim, headDim, kernel, strideKv, pad, headDim, false, rng));
    this.normV = child("norm_v", new LayerNorm(manager, headDim, 1e-6, true));
    this.relPosH = parameter("rel_pos_h", Init.truncatedNormal(tableRows * headDim, 0.02, rng),
        new Shape(tableRows, headDim), false);
    this.relPosW = parameter("rel_pos_w", Init.truncatedNormal(tableRows * headDim, 0.02, rng),
        new Shape(tableRows, headDim), false);
  }

  /** The attention output and the query grid. */
  public record Output(Tensor x, Grid grid) {}

  /** (B, H W, dim) tokens on {@code grid} (row-major) to (B, Hq Wq, dimOut) on the pooled query grid. */
  public Output forward(Tensor x, Grid grid) {
    long b = x.getShape().get(0);
    long n = x.getShape().get(1);
    Tensor parts = qkv.forward(x).reshape(b, n, 3, heads, headDim).transpose(2, 0, 3, 1, 4); // (3, B, heads, N, d)
    Pooled q = pool(parts.get(0), grid, poolQ, normQ);
    Pooled k = pool(parts.get(1), grid, poolK, normK);
    Pooled v = pool(parts.get(2), grid, poolV, normV);
    Tensor attn = q.x().mul(scale).matMul(k.x().transpose(0, 1, 3, 2)); // (B, heads, Nq, Nk)
    attn = addRelativePositions(attn, q.x(), q.grid(), k.grid());
    Tensor out = attn.softmax(-1).matMul(v.x()).add(q.x()); // residual pooling
    out = out.transpose(0, 2, 1, 3).reshape(b, q.grid().tokens(), dimOut);
    return new Output(proj.forward(out), q.grid());
  }

  private record Pooled(Tensor x, Grid grid) {}

  /** (B, heads, H W, d) -> depthwise conv on the grid -> LayerNorm over d -> (B, heads, H' W', d). */
  private static Pooled pool(Tensor t, Grid grid, Conv2d conv, LayerNorm norm) {
    long b = t.getShape().get(0);
    long heads = t.getShape().get(1);
    long d = t.getShape().get(3);
    Tensor image = t.reshape(b * heads, grid.h(), grid.w(), d).transpose(0, 3, 1, 2); // (B heads, d, H, W)
    Tensor pooled = conv.forward(image);
    Grid out = new Grid((int) pooled.getShape().get(2), (int) pooled.getShape().get(3));
    Tensor tokens = pooled.reshape(b, heads, d, out.tokens()).transpose(0, 1, 3, 2);
    return new Pooled(norm.forward(tokens), out);
  }

  private Tensor addRelativePositions(Tensor attn, Tensor q, Grid qg, Grid kg) {
    long b = q.getShape().get(0);
    TensorScope m = q.scope();
    Tensor relH = relativeTable(relPosH.array(), qg.h(), kg.h(), m); // (qh, kh, d)
    Tensor relW = relativeTable(relPosW.array(), qg.w(), kg.w(), m); // (qw, kw, d)
    // rq (B, heads, qh, qw, d)
    Tensor rq = q.reshape(b, heads, qg.h(), qg.w(), headDim);
    // einsum byhwc,hkc->byhwk: batch over h
    Tensor byH = rq.transpose(2, 0, 1, 3, 4).reshape(qg.h(), b * heads * qg.w(), headDim)
        .matMul(relH.transpose(0, 2, 1)) // (qh, B heads qw, kh)
        .reshape(qg.h(), b, heads, qg.w(), kg.h()).transpose(1, 2, 0, 3, 4); // (B, heads, qh, qw, kh)
    // einsum byhwc,wkc->byhwk: batch over w
    Tensor byW = rq.transpose(3, 0, 1, 2, 4).reshape(qg.w(), b * heads * qg.h(), headDim)
        .matMul(relW.transpose(0, 2, 1)) // (qw, B heads qh, kw)
        .reshape(qg.w(), b, heads, qg.h(), kg.w()).transpose(1, 2, 3, 0, 4); // (B, heads, qh, qw, kw)
    Tensor biased = attn.reshape(b, heads, qg.h(), qg.w(), kg.h(), kg.w())
        .add(byH.expandDims(5)).add(byW.expandDims(4));
    return biased.reshape(b, heads, qg.tokens(), kg.tokens());
  }

  /** R[dist(i, j)] for every query i and key j along one axis: (q, k, d). */
  private Tensor relativeTable(Tensor table, int qSize, int kSize, TensorScope m) {
    double qRatio = Math.max((double) kSize / qSize, 1.0);
    double kRatio = Math.max((double) qSize / kSize, 1.0);
    int needed = 2 * Math.max(qSize, kSize) - 1;
    Tensor rows = table;
    if (needed > tableRows) {
      rows = m.create(interpolation(tableRows, needed), new Shape(needed, tableRows)).matMul(table);
    }
    long[] index = new long[qSize * kSize];
    for (int i = 0; i < qSize; i++) {
      for (int j = 0; j < kSize; j++) {
        index[i * kSize + j] = (long) (i * qRatio - j * kRatio + (kSize - 1) * kRatio);
      }
    }
    long available = rows.getShape().get(0);
    for (long v : index) {
      if (v < 0 || v >= available) {
        throw new IllegalStateException("relative distance " + v + " outside the table of " + available + " rows");
      }
    }
    Tensor idx = m.create(index, new Shape(1, index.length, 1)).repeat(2, headDim);
    Tensor view = rows == table ? attachToInputManager(table.reshape(1, available, headDim), m)
        : rows.reshape(1, available, headDim);
    return view.gather(idx, 1).reshape(qSize, kSize, headDim);
  }

  /** Moves a per-call view of a parameter into the step's manager. */
  private static Tensor attachToInputManager(Tensor view, TensorScope step) {
    view.attach(step);
    return view;
  }

  /** (to, from) weights of torch's linear interpolation with align_corners=False. */
  static float[] interpolation(int from, int to) {
    float[] w = new float[to * from];
    double ratio = (double) from / to;
    for (int i = 0; i < to; i++) {
      double src = Math.max((i + 0.5) * ratio - 0.5, 0);
      int lo = (int) Math.floor(src);
      int hi = Math.min(lo + 1, from - 1);
      double frac = src - lo;
      w[i * from + lo] += (float) (1 - frac);
      w[i * from + hi] += (float) frac;
    }
    return w;
  }
}
