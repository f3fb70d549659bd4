package dev.earshot.pretrain.ssmast;

import dev.earshot.tensor.Tensor;
import dev.earshot.tensor.TensorScope;
import dev.earshot.model.mast.MultiscaleConfig;
import dev.earshot.model.MultiscaleTransformer;
import dev.earshot.nn.Container;
import dev.earshot.nn.Linear;
import dev.earshot.nn.Module;
import java.util.SplittableRandom;

/**
 * One SS-MAST network (LAPE's {@code encoder_q} / {@code encoder_k}): a MAST {@code encoder} and the projection
 * {@code mlp.fc1} (D -> projection dim); its output is L2-normalised.
 */
public final class SsmastNetwork extends Module {
  private final MultiscaleTransformer encoder;
  private final Linear projection;

  public SsmastNetwork(TensorScope manager, MultiscaleConfig config, int projectionDim, long seed) {
    super(manager);
    this.encoder = child("encoder", new MultiscaleTransformer(manager, config, seed));
    Container mlp = child("mlp", new Container(manager));
    this.projection = mlp.add("fc1", Linear.vit(manager, config.embedDim(), projectionDim, true,
        new SplittableRandom(seed ^ 0x55AAL)));
  }

  public MultiscaleTransformer encoder() {
    return encoder;
  }

  /**
   * (B, T, F) views to (B, projection dim) unit vectors; {@code keep} (B, N) multiplies the stem tokens (1 kept,
   * 0 dropped) or is null.
   */
  public Tensor project(Tensor views, Tensor keep) {
    MultiscaleTransformer.StemOutput s = encoder.stem(views);
    Tensor tokens = keep == null ? s.tokens() : s.tokens().mul(keep.expandDims(2));
    Tensor pooled = encoder.stages(tokens, s.grid()).x().mean(new int[] {1});
    Tensor z = projection.forward(pooled);
    Tensor norm = z.norm(new int[] {-1}, true).maximum(1e-12f);
    return z.div(norm);
  }
}
