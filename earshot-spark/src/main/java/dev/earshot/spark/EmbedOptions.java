package dev.earshot.spark;

import dev.earshot.ConfigException;
import java.io.Serializable;
import java.util.Objects;

/**
 * What {@link EarshotSpark#embed} computes per clip.
 *
 * @param layer -1 the final output (default), 0 the embedded input, k the output of block k
 * @param timeSteps per-time-step (timestamp) embeddings stitched across windows instead of the clip embedding
 * @param windows also every window's embedding with its start and end (clip embeddings only)
 * @param windowing the windows of long clips and how they are aggregated
 * @param compute batch, device and precision on the executors
 */
public record EmbedOptions(int layer, boolean timeSteps, boolean windows, Windowing windowing, Compute compute)
    implements Serializable {

  public EmbedOptions {
    Objects.requireNonNull(windowing, "windowing");
    Objects.requireNonNull(compute, "compute");
    if (layer < -1) {
      throw new ConfigException("layer: -1 (final output), 0 (embedded input) or a block number, got " + layer);
    }
    if (timeSteps && windows) {
      throw new ConfigException("windows: per-window embeddings go with clip embeddings, not with time steps");
    }
  }

  /** Clip embeddings of the final output, the model's windows averaged, on the CPU. */
  public static EmbedOptions defaults() {
    return new EmbedOptions(-1, false, false, Windowing.DEFAULT, Compute.CPU);
  }

  public EmbedOptions withLayer(int newLayer) {
    return new EmbedOptions(newLayer, timeSteps, windows, windowing, compute);
  }

  public EmbedOptions withTimeSteps(boolean on) {
    return new EmbedOptions(layer, on, windows, windowing, compute);
  }

  public EmbedOptions withWindows(boolean on) {
    return new EmbedOptions(layer, timeSteps, on, windowing, compute);
  }

  public EmbedOptions withWindowing(Windowing newWindowing) {
    return new EmbedOptions(layer, timeSteps, windows, newWindowing, compute);
  }

  public EmbedOptions withCompute(Compute newCompute) {
    return new EmbedOptions(layer, timeSteps, windows, windowing, newCompute);
  }
}
