package dev.earshot.pretrain.asit;

import dev.earshot.pretrain.GroupMasking;

/**
 * The ASiT section of a pretraining recipe. Null fields take the released values (main_ASiT.py defaults).
 *
 * @param cropFrames frames per crop (592)
 * @param dropShare upper end of the zeroed share (0.7)
 * @param replaceShare pasted share (0.3)
 * @param replaceProbability probability of pasting instead of zeros (0.5)
 * @param align block alignment in cells (1; 16 aligns blocks with patches)
 * @param rollProbability probability of a circular roll before cropping (0.5)
 * @param outDimCls global distribution size (8192)
 * @param outDimData local distribution size (1024)
 * @param headHidden distillation-head width (2048)
 * @param headBottleneck distillation-head bottleneck (256)
 * @param reconstructionHidden reconstruction-head width (768)
 * @param reconstructionBottleneck reconstruction-head channels (128)
 * @param teacherTemperatureStart (0.04)
 * @param teacherTemperature (0.07)
 * @param teacherTemperatureWarmupSteps updates of the temperature warm-up (default: 30% of the run, as 30 of
 *     100 epochs)
 * @param momentumStart teacher momentum at the start (0.996)
 * @param weightDecayEnd weight decay at the end (0.4)
 * @param reconstructionWeight (2)
 * @param dropPath student stochastic depth (0.1)
 * @param export which network becomes RUN/model: "teacher" (default) or "student"; the other is written to
 *     RUN/model-student or RUN/model-teacher
 */
public record AsitRecipe(Integer cropFrames, Double dropShare, Double replaceShare, Double replaceProbability,
    Integer align, Double rollProbability, Integer outDimCls, Integer outDimData, Integer headHidden,
    Integer headBottleneck, Integer reconstructionHidden, Integer reconstructionBottleneck,
    Double teacherTemperatureStart, Double teacherTemperature, Long teacherTemperatureWarmupSteps,
    Double momentumStart, Double weightDecayEnd, Double reconstructionWeight, Double dropPath, String export) {

  /** Nothing set: the released values throughout. */
  public static AsitRecipe defaults() {
    return new AsitRecipe(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
        null, null, null, null, null);
  }

  public int cropFramesOrDefault() {
    return cropFrames == null ? 592 : cropFrames;
  }

  public double dropPathOrDefault() {
    return dropPath == null ? 0.1 : dropPath;
  }

  /** True when the teacher is exported as RUN/model. */
  public boolean exportTeacher() {
    return switch (export == null ? "teacher" : export) {
      case "teacher" -> true;
      case "student" -> false;
      default -> throw new dev.earshot.ConfigException("asit.export: 'teacher' or 'student', got '" + export + "'");
    };
  }

  /** The objective's configuration for a run of {@code totalSteps} updates. */
  public AsitConfig toConfig(long totalSteps) {
    GroupMasking masking = new GroupMasking(dropShare == null ? 0.7 : dropShare,
        replaceShare == null ? 0.3 : replaceShare, replaceProbability == null ? 0.5 : replaceProbability,
        align == null ? 1 : align, 0.3);
    return new AsitConfig(cropFramesOrDefault(), masking, rollProbability == null ? 0.5 : rollProbability,
        outDimCls == null ? 8192 : outDimCls, outDimData == null ? 1024 : outDimData,
        headHidden == null ? 2048 : headHidden, headBottleneck == null ? 256 : headBottleneck,
        reconstructionHidden == null ? 768 : reconstructionHidden,
        reconstructionBottleneck == null ? 128 : reconstructionBottleneck, 0.1,
        teacherTemperatureStart == null ? 0.04 : teacherTemperatureStart,
        teacherTemperature == null ? 0.07 : teacherTemperature,
        teacherTemperatureWarmupSteps == null ? Math.max(1, totalSteps * 3 / 10) : teacherTemperatureWarmupSteps, 0.9,
        momentumStart == null ? 0.996 : momentumStart, weightDecayEnd == null ? 0.4 : weightDecayEnd,
        reconstructionWeight == null ? 2 : reconstructionWeight);
  }
}
