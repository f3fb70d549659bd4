package dev.earshot.pretrain.asit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Activation;
import dev.earshot.nn.Container;
import dev.earshot.nn.Linear;
import dev.earshot.nn.Module;
import dev.earshot.nn.Tensors;
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
  public record Logits(NDArray global, NDArray local) {}

  public AsitClsHead(NDManager manager, int dim, int outCls, int outData, int hidden, int bottleneck,
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
  public Logits forward(NDArray tokens) {
    NDArray h = fc3.forward(Activation.gelu(fc2.forward(Activation.gelu(fc1.forward(tokens)))));
    NDArray norm = h.norm(new int[] {-1}, true).maximum(Tensors.scalar(h.getManager(), 1e-12f));
    NDArray z = h.div(norm); // F.normalize(p=2, eps=1e-12)
    long b = z.getShape().get(0);
    long bottleneck = z.getShape().get(2);
    NDArray global = clsLayer.forward(z.get(new NDIndex(":, 0, :")));
    NDArray local = dataLayer.forward(z.get(new NDIndex(":, 1:, :")).reshape(-1, bottleneck));
    return new Logits(global, local);
  }
}
