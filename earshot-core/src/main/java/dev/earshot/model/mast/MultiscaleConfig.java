package dev.earshot.model.mast;

import static dev.earshot.ConfigException.require;

import java.util.Arrays;

/**
 * The architecture of a {@link MultiscaleTransformer} (MAST): an AST-style patch stem, then MViTv2 stages.
 *
 * @param frames input length in frames the model is built for (longer inputs work: position tables are
 *     interpolated)
 * @param bins mel bins (128)
 * @param patch stem kernel (16)
 * @param patchStride stem stride on both axes (10, as AST)
 * @param dims width of each stage (MAST: 96, 192, 384, 768)
 * @param depths blocks per stage (tiny 1-2-5-2, small 1-2-11-2, base 2-3-16-3)
 * @param heads attention heads per stage (1, 2, 4, 8)
 * @param mlpRatio MLP width over the block width (4)
 * @param kernel pooling kernel of queries, keys and values (3)
 * @param strideQ query stride of each stage's first block (1, 2, 2, 2): each later stage halves both axes
 * @param strideKv key/value stride of the first stage (4); halved wherever the query stride is 2, never below 1
 * @param relPosSide side of the square grid the relative-position tables are sized for at the first stage
 *     (timm sizes them for 56 = 224 / 4; 0 = max of this input's grid sides)
 * @param dropPath stochastic depth rising linearly over all blocks to this rate
 * @param numClasses classifier outputs, or 0 for an encoder without head
 * @param headNormEps epsilon of the head's LayerNorm
 */
public record MultiscaleConfig(int frames, int bins, int patch, int patchStride, int[] dims, int[] depths, int[] heads,
    double mlpRatio, int kernel, int[] strideQ, int strideKv, int relPosSide, double dropPath, int numClasses,
    double headNormEps) {

  public MultiscaleConfig {
    require(dims != null && depths != null && heads != null && strideQ != null, "stages",
        "dims, depths, heads and strideQ are required");
    require(dims.length >= 1 && dims.length <= 8, "dims", "1 to 8 stages, got " + dims.length);
    require(dims.length == depths.length && dims.length == heads.length && dims.length == strideQ.length, "stages",
        "dims, depths, heads and strideQ need one value per stage");
    for (int s = 0; s < dims.length; s++) {
      require(dims[s] % heads[s] == 0, "heads", "stage " + s + ": width " + dims[s] + " is not divisible by "
          + heads[s] + " heads");
      require(depths[s] >= 1 && depths[s] <= 256, "depths", "every stage needs 1 to 256 blocks");
      require(dims[s] >= 1 && dims[s] <= 16384, "dims", "stage widths must be in 1..16384, got " + dims[s]);
      require(heads[s] >= 1, "heads", "every stage needs a head");
      require(strideQ[s] >= 1 && strideQ[s] <= 16, "strideQ", "must be in 1..16, got " + strideQ[s]);
    }
    require(patch >= 1 && patchStride >= 1 && patch <= bins, "patch", "need 1 <= patch <= bins and stride >= 1");
    require(bins >= 1 && bins <= 4096, "bins", "must be in 1..4096, got " + bins);
    require(frames >= patch, "frames", "at least one patch (" + patch + " frames)");
    require(frames <= 100_000, "frames", "at most 100000, got " + frames);
    require(kernel % 2 == 1 && kernel >= 1 && kernel <= 31, "kernel", "must be odd, 1..31");
    require(strideKv >= 1 && strideKv <= 64, "strideKv", "must be in 1..64, got " + strideKv);
    require(relPosSide >= 0 && relPosSide <= 4096, "relPosSide", "must be in 0..4096, got " + relPosSide);
    require(mlpRatio > 0 && mlpRatio <= 16, "mlpRatio", "must be in (0, 16], got " + mlpRatio);
    require(dropPath >= 0 && dropPath < 1, "dropPath", "must be in [0, 1), got " + dropPath);
    require(numClasses >= 0 && numClasses <= 1_000_000, "numClasses", "must be in 0..1000000, got " + numClasses);
    require(headNormEps > 0 && headNormEps < 1, "headNormEps", "must be in (0, 1), got " + headNormEps);
  }

  /** Frequency patches of the stem: (bins - patch) / stride + 1 (12 for 128 bins). */
  public int freqPatches() {
    return (bins - patch) / patchStride + 1;
  }

  /** Time patches of the stem for {@code inputFrames}. */
  public int timePatches(int inputFrames) {
    return (inputFrames - patch) / patchStride + 1;
  }

  /** Width of the encoder output (the last stage's). */
  public int embedDim() {
    return dims[dims.length - 1];
  }

  /** Key/value stride of each stage (MViTv2's adaptive rule). */
  public int[] stridesKv() {
    int[] out = new int[dims.length];
    int kv = strideKv;
    for (int s = 0; s < dims.length; s++) {
      if (strideQ[s] > 1) {
        kv = Math.max(kv / strideQ[s], 1);
      }
      out[s] = kv;
    }
    return out;
  }

  /** The same model with {@code classes} outputs. */
  public MultiscaleConfig withClasses(int classes) {
    return new MultiscaleConfig(frames, bins, patch, patchStride, dims, depths, heads, mlpRatio, kernel, strideQ,
        strideKv, relPosSide, dropPath, classes, headNormEps);
  }

  /** The same model built for inputs of {@code newFrames}. */
  public MultiscaleConfig withFrames(int newFrames) {
    return new MultiscaleConfig(newFrames, bins, patch, patchStride, dims, depths, heads, mlpRatio, kernel, strideQ,
        strideKv, relPosSide, dropPath, numClasses, headNormEps);
  }

  /** The same model with another stochastic depth. */
  public MultiscaleConfig withDropPath(double rate) {
    return new MultiscaleConfig(frames, bins, patch, patchStride, dims, depths, heads, mlpRatio, kernel, strideQ,
        strideKv, relPosSide, rate, numClasses, headNormEps);
  }

  /**
   * MAST presets: micro (tests and CPU demos), mini (an hour of CPU pretraining), tiny, small (the paper's
   * layout), base.
   */
  public static MultiscaleConfig preset(String size, int frames, int classes) {
    int[] dims = {96, 192, 384, 768};
    int[] heads = {1, 2, 4, 8};
    int[] depths;
    switch (size) {
      case "micro" -> {
        dims = new int[] {16, 32, 64, 128};
        heads = new int[] {1, 2, 2, 4};
        depths = new int[] {1, 1, 1, 1};
      }
      case "mini" -> {
        dims = new int[] {32, 64, 128, 256};
        heads = new int[] {1, 2, 4, 8};
        depths = new int[] {1, 1, 2, 1};
      }
      case "tiny" -> depths = new int[] {1, 2, 5, 2};
      case "small" -> depths = new int[] {1, 2, 11, 2};
      case "base" -> depths = new int[] {2, 3, 16, 3};
      default -> throw new dev.earshot.ConfigException("model: unknown MAST size '" + size
          + "' (micro, mini, tiny, small, base)");
    }
    return new MultiscaleConfig(frames, 128, 16, 10, dims, depths, heads, 4, 3, new int[] {1, 2, 2, 2}, 4, 56, 0,
        classes, 1e-5);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MultiscaleConfig c && frames == c.frames && bins == c.bins && patch == c.patch
        && patchStride == c.patchStride && Arrays.equals(dims, c.dims) && Arrays.equals(depths, c.depths)
        && Arrays.equals(heads, c.heads) && mlpRatio == c.mlpRatio && kernel == c.kernel
        && Arrays.equals(strideQ, c.strideQ) && strideKv == c.strideKv && relPosSide == c.relPosSide
        && dropPath == c.dropPath && numClasses == c.numClasses && headNormEps == c.headNormEps;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(dims) * 31 + frames;
  }

  @Override
  public String toString() {
    return "MultiscaleConfig[frames=" + frames + ", dims=" + Arrays.toString(dims) + ", depths="
        + Arrays.toString(depths) + ", heads=" + Arrays.toString(heads) + ", classes=" + numClasses + "]";
  }
}
