package dev.earshot.pretrain;

import static dev.earshot.ConfigException.require;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * ASiT's group masked model learning (GMML) corruption of a (T, F) spectrogram, in two stages as the
 * official data pipeline applies them to each crop:
 * <ol>
 *   <li><b>zeros</b>: draw a target area A ~ U(min(0.5, dropShare), dropShare) x T x F; until the masked area
 *       reaches A, pick a block — top-left (r, c) uniform in [0, T - align) x [0, F - align) snapped to
 *       multiples of {@code align}, height uniform in [align, maxBlockShare T), width uniform in
 *       [align, maxBlockShare F), both rounded to multiples of align (half to even) and clipped to the
 *       spectrogram — and set it to 0;
 *   <li><b>paste</b>: with probability {@code replaceProbability} that corruption is discarded and instead,
 *       starting from the clean crop, same-location blocks of another clip of the batch (uniformly chosen,
 *       possibly itself) are pasted until {@code replaceShare} of the area is covered.
 * </ol>
 * The mask marks every corrupted cell.
 *
 * @param dropShare upper end of the zeroed share (0.7)
 * @param replaceShare pasted share (0.3)
 * @param replaceProbability probability that a crop is corrupted by pasting instead of zeros (0.5)
 * @param align block alignment in cells (1 in the released code; 16 aligns with patches)
 * @param maxBlockShare largest block side as a share of each axis (0.3)
 */
public record GroupMasking(double dropShare, double replaceShare, double replaceProbability, int align,
    double maxBlockShare) {

  public GroupMasking {
    require(dropShare > 0 && dropShare < 1, "dropShare", "must be in (0, 1)");
    require(replaceShare >= 0 && replaceShare < 1, "replaceShare", "must be in [0, 1)");
    require(replaceProbability >= 0 && replaceProbability <= 1, "replaceProbability", "must be in [0, 1]");
    require(align >= 1, "align", "must be >= 1");
    require(maxBlockShare > 0 && maxBlockShare <= 1, "maxBlockShare", "must be in (0, 1]");
  }

  /** The released ASiT settings. */
  public static GroupMasking asit() {
    return new GroupMasking(0.7, 0.3, 0.5, 1, 0.3);
  }

  /** Corrupted crops and their masks, (B, T, F) each. */
  public record Corrupted(float[][][] crops, float[][][] masks) {}

  /**
   * Both stages for one crop of every clip of a batch.
   *
   * @param clean (B, T, F) clean crops (not modified)
   */
  public Corrupted corrupt(float[][][] clean, RandomGenerator rng) {
    int b = clean.length;
    float[][][] crops = new float[b][][];
    float[][][] masks = new float[b][][];
    for (int i = 0; i < b; i++) {
      crops[i] = copy(clean[i]);
      masks[i] = zeros(crops[i], rng);
    }
    if (replaceShare > 0) {
      for (int i = 0; i < b; i++) {
        int partner = rng.nextInt(b);
        if (rng.nextDouble() < replaceProbability) {
          crops[i] = copy(clean[i]);
          masks[i] = paste(crops[i], clean[partner], rng);
        }
      }
    }
    return new Corrupted(crops, masks);
  }

  /**
   * As {@link #corrupt(float[][][], RandomGenerator)}, but every crop draws from its own generator ({@code
   * rngs.get(i)} for crop i), so a crop's corruption does not depend on the rest of the batch; the partner
   * whose blocks are pasted is drawn from this batch (a data-parallel worker's own share, as the official
   * code pairs samples within each device's batch).
   */
  public Corrupted corrupt(float[][][] clean, List<? extends RandomGenerator> rngs) {
    int b = clean.length;
    float[][][] crops = new float[b][][];
    float[][][] masks = new float[b][][];
    for (int i = 0; i < b; i++) {
      RandomGenerator rng = rngs.get(i);
      crops[i] = copy(clean[i]);
      masks[i] = zeros(crops[i], rng);
      if (replaceShare > 0) {
        int partner = rng.nextInt(b);
        if (rng.nextDouble() < replaceProbability) {
          crops[i] = copy(clean[i]);
          masks[i] = paste(crops[i], clean[partner], rng);
        }
      }
    }
    return new Corrupted(crops, masks);
  }

  /** Stage 1: zeroes blocks of {@code x} in place; returns the mask. */
  public float[][] zeros(float[][] x, RandomGenerator rng) {
    double share = dropShare <= 0.5 ? dropShare : 0.5 + rng.nextDouble() * (dropShare - 0.5);
    return blocks(x, null, share, rng);
  }

  /** Stage 2: pastes same-location blocks of {@code partner} into {@code x} in place; returns the mask. */
  public float[][] paste(float[][] x, float[][] partner, RandomGenerator rng) {
    double share = replaceShare <= 0.5 ? replaceShare : 0.5 + rng.nextDouble() * (replaceShare - 0.5);
    return blocks(x, partner, share, rng);
  }

  private float[][] blocks(float[][] x, float[][] source, double share, RandomGenerator rng) {
    int h = x.length;
    int w = x[0].length;
    double target = share * h * w;
    int maxH = (int) (h * maxBlockShare);
    int maxW = (int) (w * maxBlockShare);
    float[][] mask = new float[h][w];
    long masked = 0;
    while (masked < target) {
      int r = (uniform(0, h - align, rng) / align) * align;
      int c = (uniform(0, w - align, rng) / align) * align;
      int bh = (int) Math.rint((double) Math.min(uniform(align, maxH, rng), h - r) / align) * align;
      int bw = (int) Math.rint((double) Math.min(uniform(align, maxW, rng), w - c) / align) * align;
      for (int t = r; t < Math.min(h, r + bh); t++) {
        for (int f = c; f < Math.min(w, c + bw); f++) {
          x[t][f] = source == null ? 0f : source[t][f];
          if (mask[t][f] == 0f) {
            mask[t][f] = 1f;
            masked++;
          }
        }
      }
    }
    return mask;
  }

  /** numpy's randint(low, high): uniform in [low, high); low when the range is empty. */
  private static int uniform(int low, int high, RandomGenerator rng) {
    return high <= low ? low : low + rng.nextInt(high - low);
  }

  private static float[][] copy(float[][] x) {
    float[][] out = new float[x.length][];
    for (int i = 0; i < x.length; i++) {
      out[i] = x[i].clone();
    }
    return out;
  }
}
