package dev.earshot.pretrain.asit;

import dev.earshot.tensor.Tensor;
import dev.earshot.tensor.TensorScope;
import dev.earshot.tensor.Index;
import dev.earshot.nn.Container;
import dev.earshot.nn.Linear;
import dev.earshot.nn.Module;
import dev.earshot.nn.WeightNormLinear;
import java.util.random.RandomGenerator;

/**
 * ASiT's self-distillation head ({@code CLSHead}): an MLP D -> hidden -> hidden -> bottleneck with GELUs,
 * applied to every token, L2-normalised, then a weight-normalised projection for the CLS token
 * ({@code cls_layer}, the global distribution) and another for the patch tokens ({@code data_layer}, the local
 * ones). Parameter paths match the official checkpoints: {@code mlp.0/2/4}, {@code cls_layer.weight_g/v},
 * {@code data_layer.weight_g/v}.
 */
public final class AsitClsHead extends Module {
  private final Linear fc1;
  private final Linear fc2;
  private final Linear fc3;
  private final WeightNormLinear clsLayer;
  private final WeightNormLinear dataLayer;

  /** Global (B, outCls) and local (B N, outData) logits. */
  public record Logits(Tensor global, Tensor local) {}

  public AsitClsHead(TensorScope manager, int dim, int outCls, int outData, int hidden, int bottleneck,
      RandomGenerator rng) {
    super(manager);
    Container mlp = child("mlp", new Container(manager));
    fc1 = mlp.add("0", Linear.vit(manager, dim, hidden, true, rng));
    fc2 = mlp.add("2", Linear.vit(manager, hidden, hidden, true, rng));
    fc3 = mlp.add("4", Linear.vit(manager, hidden, bottleneck, true, rng));
    clsLayer = child("cls_layer", new WeightNormLinear(manager, bottleneck, outCls, rng));
    dataLayer = child("data_layer", new WeightNormLinear(manager, bottleneck, outData, rng));
  }

  /** (B, 1 + N, D) encoder output to the global and local logits. */
  public Logits forward(Tensor tokens) {
    Tensor h = fc3.forward(fc2.forward(fc1.forward(tokens).gelu()).gelu());
    Tensor norm = h.norm(new int[] {-1}, true).maximum(1e-12f);
    Tensor z = h.div(norm); // F.normalize(p=2, eps=1e-12)
    long b = z.getShape().get(0);
    long bottleneck = z.getShape().get(2);
    Tensor global = clsLayer.forward(z.get(Index.of(":, 0, :")));
    Tensor local = dataLayer.forward(z.get(Index.of(":, 1:, :")).reshape(-1, bottleneck));
    return new Logits(global, local);
  }
}
