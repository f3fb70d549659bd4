package dev.earshot.pretrain.asit;

import static dev.earshot.ConfigException.require;

import dev.earshot.pretrain.GroupMasking;

/**
 * ASiT's pretraining objective: GMML corruption, global (CLS) and local (patch) self-distillation from an EMA
 * teacher, and L1 reconstruction of the corrupted cells.
 *
 * @param cropFrames frames of each of the two crops per clip (592 = 37 x 16 in the release)
 * @param masking the two-stage corruption
 * @param rollProbability probability that a clip is rolled circularly in time before cropping (0.5)
 * @param outDimCls size of the global distribution (8192)
 * @param outDimData size of the local distribution (1024)
 * @param headHidden hidden width of the distillation head (2048)
 * @param headBottleneck bottleneck of the distillation head (256)
 * @param reconstructionHidden hidden width of the reconstruction head (768)
 * @param reconstructionBottleneck channels into the transposed convolution (128)
 * @param studentTemperature student softmax temperature (0.1)
 * @param teacherTemperatureStart teacher temperature at the start (0.04)
 * @param teacherTemperature teacher temperature after the warm-up (0.07)
 * @param teacherTemperatureWarmupSteps updates over which it rises linearly (ASiT: 30 epochs)
 * @param centerMomentum EMA momentum of the two centres (0.9)
 * @param momentumStart teacher EMA momentum at the start, rising to 1 along a cosine over the run (0.996)
 * @param weightDecayEnd weight decay at the end of the cosine that starts at the recipe's weight decay (0.4)
 * @param reconstructionWeight weight of the L1 term (2)
 */
public record AsitConfig(int cropFrames, GroupMasking masking, double rollProbability, int outDimCls, int outDimData,
    int headHidden, int headBottleneck, int reconstructionHidden, int reconstructionBottleneck,
    double studentTemperature, double teacherTemperatureStart, double teacherTemperature,
    long teacherTemperatureWarmupSteps, double centerMomentum, double momentumStart, double weightDecayEnd,
    double reconstructionWeight) {

  public AsitConfig {
    require(cropFrames >= 16, "cropFrames", "must be >= 16");
    require(masking != null, "masking", "required");
    require(rollProbability >= 0 && rollProbability <= 1, "rollProbability", "must be in [0, 1]");
    require(outDimCls >= 1 && outDimData >= 1, "outDim", "must be >= 1");
    require(studentTemperature > 0 && teacherTemperature > 0 && teacherTemperatureStart > 0, "temperature",
        "must be positive");
    require(centerMomentum >= 0 && centerMomentum < 1, "centerMomentum", "must be in [0, 1)");
    require(momentumStart >= 0 && momentumStart <= 1, "momentum", "must be in [0, 1]");
    require(reconstructionWeight >= 0, "reconstructionWeight", "must be >= 0");
  }

  /** The teacher temperature at update {@code step}. */
  public double teacherTemperature(long step) {
    if (step >= teacherTemperatureWarmupSteps || teacherTemperatureWarmupSteps <= 1) {
      return teacherTemperature;
    }
    return teacherTemperatureStart
        + (teacherTemperature - teacherTemperatureStart) * step / (teacherTemperatureWarmupSteps - 1);
  }
}
