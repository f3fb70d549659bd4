package dev.earshot.spark;

import java.io.Serializable;
import java.util.Objects;

/**
 * What {@link EarshotSpark#classify} computes per clip.
 *
 * @param topK the best classes per clip (and window) with their scores, best first; 0 or less for every
 *     class's score in the model's label order
 * @param windows also every window's answer with its start and end
 * @param windowing the windows of long clips and how they are aggregated
 * @param compute batch, device and precision on the executors
 */
public record ClassifyOptions(int topK, boolean windows, Windowing windowing, Compute compute)
    implements Serializable {

  public ClassifyOptions {
    Objects.requireNonNull(windowing, "windowing");
    Objects.requireNonNull(compute, "compute");
  }

  /** The top 5 classes per clip, the model's windows averaged, on the CPU. */
  public static ClassifyOptions defaults() {
    return new ClassifyOptions(5, false, Windowing.DEFAULT, Compute.CPU);
  }

  /** True when every class's score is written rather than the top k. */
  public boolean allScores() {
    return topK <= 0;
  }

  public ClassifyOptions withTopK(int k) {
    return new ClassifyOptions(k, windows, windowing, compute);
  }

  /** Every class's score in label order. */
  public ClassifyOptions withAllScores() {
    return withTopK(0);
  }

  public ClassifyOptions withWindows(boolean on) {
    return new ClassifyOptions(topK, on, windowing, compute);
  }

  public ClassifyOptions withWindowing(Windowing newWindowing) {
    return new ClassifyOptions(topK, windows, newWindowing, compute);
  }

  public ClassifyOptions withCompute(Compute newCompute) {
    return new ClassifyOptions(topK, windows, windowing, newCompute);
  }
}
