package dev.earshot.pretrain.ssmast;

import static dev.earshot.ConfigException.require;

/**
 * SS-MAST's objective: MoCo-v2 style symmetric contrastive learning between a student (query) MAST and its
 * momentum teacher (key), with patch-drop on the student's input.
 *
 * <p>Assumptions, since the released code never wires patch-drop and its BYOL-A augmentations are not part of
 * earshot: the two views of a clip are two crops of {@code cropFrames} at independent uniform positions; the
 * student sees each view with {@code patchDrop} of its stem tokens zeroed (each token independently, a fresh
 * draw per view and clip; zeroing keeps MViT's grid intact, which dropping tokens would break); the teacher
 * sees the views whole.
 *
 * @param cropFrames frames of each view (the model's input length)
 * @param projectionDim output of the projection after the encoder (256)
 * @param queueSize negatives kept from earlier batches (65,536)
 * @param temperature softmax temperature (0.07)
 * @param momentum teacher EMA momentum, applied before every key computation — twice per update (0.999)
 * @param patchDrop share of the student's stem tokens zeroed
 */
public record SsmastConfig(int cropFrames, int projectionDim, int queueSize, double temperature, double momentum,
    double patchDrop) {

  public SsmastConfig {
    require(cropFrames >= 16, "cropFrames", "must be >= 16");
    require(projectionDim >= 1, "projectionDim", "must be >= 1");
    require(queueSize >= 1, "queueSize", "must be >= 1");
    require(temperature > 0, "temperature", "must be positive");
    require(momentum >= 0 && momentum <= 1, "momentum", "must be in [0, 1]");
    require(patchDrop >= 0 && patchDrop < 1, "patchDrop", "must be in [0, 1)");
  }
}
