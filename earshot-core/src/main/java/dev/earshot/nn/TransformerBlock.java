package dev.earshot.nn;

import dev.earshot.tensor.Tensor;
import dev.earshot.tensor.TensorScope;
import java.util.random.RandomGenerator;

/**
 * One transformer encoder block with children {@code norm1}, {@code attn}, {@code norm2}, {@code mlp}, in
 * either {@link NormPlacement}. Drop-path applies to both residual branches.
 */
public final class TransformerBlock extends Module {
  private final NormPlacement placement;
  private final LayerNorm norm1;
  private final Attention attn;
  private final LayerNorm norm2;
  private final Mlp mlp;
  private final DropPath dropPath;

  /** The block's output and, for data2vec-style targets, the MLP output before the residual add. */
  public record Output(Tensor hidden, Tensor ffn) {}

  public TransformerBlock(TensorScope manager, int dim, int heads, int mlpHidden, boolean qkvBias, double eps,
      NormPlacement placement, double dropout, double attentionDropout, double dropPath, RandomSource random,
      RandomGenerator rng) {
    super(manager);
    this.placement = placement;
    this.norm1 = child("norm1", new LayerNorm(manager, dim, eps, true));
    this.attn = child("attn", new Attention(manager, dim, heads, qkvBias, attentionDropout, rng));
    this.norm2 = child("norm2", new LayerNorm(manager, dim, eps, true));
    this.mlp = child("mlp", new Mlp(manager, dim, mlpHidden, dropout, rng));
    this.dropPath = new DropPath(manager, dropPath, random);
  }

  /** (B, N, D) to (B, N, D). */
  public Tensor forward(Tensor x) {
    return forwardWithFfn(x).hidden();
  }

  /** (B, N, D) to the block output and the MLP output (both (B, N, D)). */
  public Output forwardWithFfn(Tensor x) {
    dropPath.setTraining(isTraining());
    if (placement == NormPlacement.PRE_LN) {
      Tensor h = x.add(dropPath.forward(attn.forward(norm1.forward(x))));
      Tensor ffn = mlp.forward(norm2.forward(h));
      return new Output(h.add(dropPath.forward(ffn)), ffn);
    }
    Tensor h = x.add(dropPath.forward(attn.forward(x)));
    Tensor r = norm1.forward(h);
    Tensor ffn = mlp.forward(r);
    return new Output(norm2.forward(r.add(dropPath.forward(ffn))), ffn);
  }
}
