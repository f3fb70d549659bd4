package dev.earshot.data;

import dev.earshot.Seeds;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A batch on the host, ready to become tensors.
 *
 * @param features (B, T, F) normalised model inputs
 * @param targets (B, C) class targets (one-hot, multi-hot or mixed), or (B, 0) for unlabelled data
 * @param clips the clips in batch order (for reports)
 * @param step the training step this batch belongs to
 * @param offset where this batch starts in the step's global batch (0 unless data-parallel workers share it)
 * @param globalSize clips in the step's global batch (this batch's size unless workers share it)
 */
public record Batch(float[][][] features, float[][] targets, List<Clip> clips, long step, int offset,
    int globalSize) {
  public Batch {
    if (offset < 0 || offset + features.length > globalSize) {
      throw new IllegalArgumentException("a batch of " + features.length + " at offset " + offset
          + " does not fit a global batch of " + globalSize);
    }
  }

  /** A whole batch (one worker). */
  public Batch(float[][][] features, float[][] targets, List<Clip> clips, long step) {
    this(features, targets, clips, step, 0, features.length);
  }

  public int size() {
    return features.length;
  }

  /**
   * The generator for local example {@code i}'s random choices of one kind ({@code purpose}) at this step:
   * seeded by (step seed, purpose, the example's index in the global batch), so that it does not depend on
   * how the global batch is shared between workers.
   */
  public SplittableRandom exampleRandom(long stepSeed, int purpose, int i) {
    return new SplittableRandom(Seeds.mix(stepSeed, purpose, (long) offset + i));
  }

  /** True when this batch is one worker's share of a larger global batch. */
  public boolean isShard() {
    return globalSize != features.length;
  }

  /** Features flattened in C order. */
  public float[] flatFeatures() {
    int b = features.length;
    int t = features[0].length;
    int f = features[0][0].length;
    float[] out = new float[b * t * f];
    for (int i = 0; i < b; i++) {
      for (int j = 0; j < t; j++) {
        System.arraycopy(features[i][j], 0, out, (i * t + j) * f, f);
      }
    }
    return out;
  }

  /** Targets flattened in C order. */
  public float[] flatTargets() {
    int c = targets.length == 0 ? 0 : targets[0].length;
    float[] out = new float[targets.length * c];
    for (int i = 0; i < targets.length; i++) {
      System.arraycopy(targets[i], 0, out, i * c, c);
    }
    return out;
  }
}
