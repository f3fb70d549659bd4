package dev.earshot.pretrain.ssmast;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.earshot.model.mast.MultiscaleConfig;
import dev.earshot.model.MultiscaleTransformer;
import dev.earshot.nn.Container;
import dev.earshot.nn.Linear;
import dev.earshot.nn.Module;
import dev.earshot.nn.Tensors;
import java.util.SplittableRandom;

/**
 * One SS-MAST network (LAPE's {@code encoder_q} / {@code encoder_k}): a MAST {@code encoder} and the projection
 * {@code mlp.fc1} (D -> projection dim); its output is L2-normalised.
 */
public final class SsmastNetwork extends Module {
  private final MultiscaleTransformer encoder;
  private final Linear projection;

  public SsmastNetwork(NDManager manager, MultiscaleConfig config, int projectionDim, long seed) {
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
  public NDArray project(NDArray views, NDArray keep) {
    MultiscaleTransformer.StemOutput s = encoder.stem(views);
    NDArray tokens = keep == null ? s.tokens() : s.tokens().mul(keep.expandDims(2));
    NDArray pooled = encoder.stages(tokens, s.grid()).x().mean(new int[] {1});
    NDArray z = projection.forward(pooled);
    NDArray norm = z.norm(new int[] {-1}, true).maximum(Tensors.scalar(z.getManager(), 1e-12f));
    return z.div(norm);
  }
}
