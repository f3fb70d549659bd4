package dev.earshot.infer;

import dev.earshot.model.TokenOrder;

/**
 * Per-patch embeddings of one clip, with the grid needed to read them.
 *
 * @param tokens (timePatches * freqPatches, D), special tokens excluded, in the model's token order
 * @param timePatches patches along time
 * @param freqPatches patches along frequency
 * @param order how tokens are flattened
 * @param secondsPerTimePatch time step between consecutive time patches
 */
public record TokenEmbeddings(float[][] tokens, int timePatches, int freqPatches, TokenOrder order,
    double secondsPerTimePatch) {

  /** The embedding of patch (t, f). */
  public float[] at(int timePatch, int freqPatch) {
    int index = order == TokenOrder.FREQUENCY_MAJOR ? freqPatch * timePatches + timePatch
        : timePatch * freqPatches + freqPatch;
    return tokens[index];
  }

  /** (timePatches, D): the mean over frequency patches at each time step — a frame-level sequence. */
  public float[][] perTimeStep() {
    int d = tokens[0].length;
    float[][] out = new float[timePatches][d];
    for (int t = 0; t < timePatches; t++) {
      for (int f = 0; f < freqPatches; f++) {
        float[] v = at(t, f);
        for (int j = 0; j < d; j++) {
          out[t][j] += v[j] / freqPatches;
        }
      }
    }
    return out;
  }

  /**
   * (timePatches): the time of each step of {@link #perTimeStep()} in milliseconds from the start of the clip,
   * taken at the centre of the step's hop, {@code (t + 0.5) * secondsPerTimePatch} — the timestamps that go
   * with HEAR-style timestamp embeddings.
   */
  public double[] timestampsMs() {
    double[] out = new double[timePatches];
    for (int t = 0; t < timePatches; t++) {
      out[t] = (t + 0.5) * secondsPerTimePatch * 1000;
    }
    return out;
  }
}
