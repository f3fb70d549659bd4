package dev.earshot.model;

import static dev.earshot.ConfigException.require;

import java.util.Objects;

/**
 * The single source of truth for how a (frames, bins) input is cut into patch tokens.
 *
 * @param inputFrames frames T of the input the model was built for
 * @param inputBins mel bins F
 * @param patchFrames patch extent in time (16 for patches, 2 for SSAST frames)
 * @param patchBins patch extent in frequency (16, or 128 for SSAST frames)
 * @param strideFrames step between patches in time (equal to the extent: no overlap)
 * @param strideBins step between patches in frequency
 * @param order how the grid is flattened
 */
public record PatchGrid(
    int inputFrames, int inputBins, int patchFrames, int patchBins, int strideFrames, int strideBins,
    TokenOrder order) {

  public PatchGrid {
    Objects.requireNonNull(order, "order");
    require(patchFrames >= 1 && patchBins >= 1, "patch", "extent must be positive");
    require(strideFrames >= 1 && strideBins >= 1, "stride", "must be positive");
    require(inputBins >= patchBins, "inputBins", inputBins + " bins are fewer than the patch height " + patchBins);
    require(inputFrames >= patchFrames, "inputFrames",
        inputFrames + " frames are fewer than the patch width " + patchFrames);
    require(inputFrames <= MAX_FRAMES, "inputFrames", "at most " + MAX_FRAMES + ", got " + inputFrames);
    require(inputBins <= MAX_BINS, "inputBins", "at most " + MAX_BINS + ", got " + inputBins);
  }

  /** Longest input accepted, in frames (about 16 minutes at the usual 10 ms shift). */
  public static final int MAX_FRAMES = 100_000;
  /** Most mel bins accepted. */
  public static final int MAX_BINS = 4096;

  /** 16x16 patches without overlap (SSAST/AST pretraining, EAT, ASiT). */
  public static PatchGrid patches16(int frames, int bins, int stride, TokenOrder order) {
    return new PatchGrid(frames, bins, 16, 16, stride, stride, order);
  }

  /** Patches along time for {@code frames} input frames: floor((T - patch) / stride) + 1. */
  public int timePatches(int frames) {
    return (frames - patchFrames) / strideFrames + 1;
  }

  /** Patches along time for the configured input. */
  public int timePatches() {
    return timePatches(inputFrames);
  }

  /** Patches along frequency: floor((F - patch) / stride) + 1. */
  public int freqPatches() {
    return (inputBins - patchBins) / strideBins + 1;
  }

  /** Tokens for the configured input. */
  public int numPatches() {
    return timePatches() * freqPatches();
  }

  /** Values per patch (patchFrames * patchBins). */
  public int patchSize() {
    return patchFrames * patchBins;
  }

  /** The same grid for another input length. */
  public PatchGrid withInputFrames(int frames) {
    return new PatchGrid(frames, inputBins, patchFrames, patchBins, strideFrames, strideBins, order);
  }

  /** The same patch extent with another stride (fine-tuning with overlap). */
  public PatchGrid withStride(int frames, int bins) {
    return new PatchGrid(inputFrames, inputBins, patchFrames, patchBins, frames, bins, order);
  }

  /** Token index of patch (timePatch, freqPatch) for an input of {@code frames} frames. */
  public int tokenIndex(int timePatch, int freqPatch, int frames) {
    return order == TokenOrder.FREQUENCY_MAJOR
        ? freqPatch * timePatches(frames) + timePatch
        : timePatch * freqPatches() + freqPatch;
  }
}
