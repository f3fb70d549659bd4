package dev.earshot.bench;

import dev.earshot.tensor.TensorScope;
import dev.earshot.tensor.GradientTape;
import dev.earshot.data.Batch;
import dev.earshot.model.AudioTransformer;
import dev.earshot.model.AudioTransformerConfig;
import dev.earshot.model.ModelRegistry;
import dev.earshot.tensor.Autocast;
import dev.earshot.tensor.Device;
import dev.earshot.tensor.Engine;
import dev.earshot.tensor.Precision;
import dev.earshot.pretrain.ClusterMasking;
import dev.earshot.pretrain.PretrainingMethod;
import dev.earshot.pretrain.eat.EatConfig;
import dev.earshot.pretrain.eat.EatDecoder;
import dev.earshot.pretrain.eat.EatMethod;
import dev.earshot.pretrain.eat.EatObjective;
import dev.earshot.pretrain.ssast.SsastConfig;
import dev.earshot.pretrain.ssast.SsastHeads;
import dev.earshot.pretrain.ssast.SsastMethod;
import dev.earshot.pretrain.ssast.SsastObjective;
import dev.earshot.recipe.PretrainingMethods;
import dev.earshot.train.AdamW;
import dev.earshot.train.Objective;
import dev.earshot.train.ParamGroups;
import dev.earshot.train.StepOutput;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * SSAST pretraining-step throughput: the joint objective (a discriminative pass and a generative pass, each
 * with its own cluster mask of 400 of 512 patches, loss = InfoNCE + 10 MSE), backward, and a coupled-Adam
 * update (betas 0.95/0.999, weight decay 5e-7) — the step of the official {@code traintest_mask.py}. Patch
 * model 16x16, stride 16, 1024 frames (8 x 64 = 512 patches). One JSON line per configuration, with
 * the machine's matmul peak measured in the same process.
 *
 * <p>Model FLOPs per step: 3 x forward (backward counted as twice the forward), where the forward is two
 * encoder passes over all tokens plus the heads on the masked tokens and the InfoNCE score matrix.
 *
 * <p>With {@code --method eat} the step is EAT's instead (16 inverse-block-masked clones per clip, 410 of 512
 * patches masked, the student on the 102 visible patches, the 6-layer decoder, the EMA teacher on the full
 * clip, AdamW and the teacher update); FLOPs are then not counted, only time per clip.
 *
 * <p>Usage: {@code PretrainThroughput [--method ssast|eat] [--seconds S] [--sizes tiny,base] [--batches 2,8]
 * [--frames 1024]}
 */
public final class PretrainThroughput {
  private PretrainThroughput() {}

  /** Precision of the forward passes (--precision). */
  private static Precision precision = Precision.FP32;

  public static void main(String[] args) {
    double seconds = 20;
    String sizes = "tiny,base";
    String batchList = "2,8";
    int frames = 1024;
    PretrainingMethod<?> method = new SsastMethod();
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--method" -> method = PretrainingMethods.get(args[i + 1]);
        case "--seconds" -> seconds = Double.parseDouble(args[i + 1]);
        case "--sizes" -> sizes = args[i + 1];
        case "--batches" -> batchList = args[i + 1];
        case "--frames" -> frames = Integer.parseInt(args[i + 1]);
        case "--precision" -> precision = Precision.parse(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (!(method instanceof SsastMethod) && !(method instanceof EatMethod)) {
      throw new IllegalArgumentException("--method: this benchmark times SSAST's and EAT's steps, not "
          + method.profile().displayName() + "'s");
    }
    Engine.disableGradientsForThisThread();
    try (TensorScope manager = TensorScope.newBaseScope()) {
      double peak = InferenceThroughput.matmulPeak(manager, 6);
      System.out.printf(Locale.ROOT, "{\"impl\": \"earshot\", \"matmul_peak_gflops\": %.1f, \"threads\": %d}%n", peak,
          Engine.threads());
      for (String size : sizes.split(",")) {
        if (method instanceof EatMethod eat) {
          for (String b : batchList.split(",")) {
            runEat(eat, manager, size, frames, Integer.parseInt(b), seconds);
          }
          continue;
        }
        AudioTransformerConfig config = ModelRegistry.get(method.profile().family().modelName(size), frames, 0);
        int masked = (int) Math.round(config.grid().numPatches() * 400.0 / 512);
        for (String b : batchList.split(",")) {
          int batch = Integer.parseInt(b);
          try (TensorScope modelManager = manager.newSubScope()) {
            AudioTransformer encoder = new AudioTransformer(modelManager, config, 0);
            SsastHeads heads = new SsastHeads(modelManager, config.embedDim(), config.grid().patchSize(),
                new SplittableRandom(1));
            SsastObjective objective = new SsastObjective(encoder, heads,
                SsastConfig.joint(ClusterMasking.patches(masked)), 0);
            AdamW adam = new AdamW(modelManager,
                ParamGroups.build(objective.trainable(), 5e-7, 1, config.depth(), true), AdamW.Settings.adam(0.95, 0.999));
            run(objective, adam, config, size, frames, batch, masked, seconds, peak);
          }
        }
      }
    }
  }

  private static void runEat(EatMethod method, TensorScope manager, String size, int frames, int batch,
      double seconds) {
    AudioTransformerConfig config = ModelRegistry.get(method.profile().family().modelName(size), frames, 0);
    EatConfig eat = EatConfig.base(config.depth());
    try (TensorScope m = manager.newSubScope()) {
      EatObjective objective = new EatObjective(new AudioTransformer(m, config, 0), new AudioTransformer(m, config, 1),
          new EatDecoder(m, config.embedDim(), eat.decoderLayers(), eat.decoderKernel(), eat.decoderGroups(),
              new SplittableRandom(2)), eat, 0);
      AdamW adam = new AdamW(m, ParamGroups.build(objective.trainable(), 0.05, 1, config.depth(), true),
          AdamW.Settings.adamW(0.9, 0.95));
      double[] t = time(objective, adam, frames, batch, seconds, null);
      System.out.printf(Locale.ROOT,
          "{\"impl\": \"earshot\", \"engine\": \"" + Engine.version() + "\", \"precision\": \"" + precision
              + "\", \"method\": \"%s\", \"size\": \"%s\", \"frames\": %d, \"clones\": %d,"
              + " \"masked\": %d, \"batch\": %d, \"steps\": %d, \"median_s\": %.6f, \"samples_per_s\": %.3f}%n",
          method.name(), size, frames, eat.clones(), eat.masking().maskedCount(config.grid().numPatches()), batch,
          (int) t[1], t[0],
          batch / t[0]);
    }
  }

  private static void run(SsastObjective objective, AdamW adam, AudioTransformerConfig config, String size,
      int frames, int batch, int masked, double seconds, double peak) {
    double[] phase = new double[3];
    double[] t = time(objective, adam, frames, batch, seconds, phase);
    double median = t[0];
    int n = (int) t[1];
    double flops = flopsPerStep(config, masked) * batch;
    System.out.printf(Locale.ROOT,
        "{\"impl\": \"earshot\", \"engine\": \"" + Engine.version() + "\", \"precision\": \"" + precision
            + "\", \"size\": \"%s\", \"frames\": %d, \"patches\": %d, \"masked\": %d, \"batch\": %d,"
            + " \"steps\": %d, \"median_s\": %.6f, \"best_s\": %.6f, \"samples_per_s\": %.3f, \"gflops\": %.1f,"
            + " \"fraction_of_peak\": %.3f, \"forward_s\": %.4f, \"backward_s\": %.4f, \"optimizer_s\": %.4f}%n",
        size, frames, config.grid().numPatches(), masked, batch, n, median, t[2], batch / median, flops / median / 1e9,
        flops / median / 1e9 / peak, phase[0] / n, phase[1] / n, phase[2] / n);
  }

  /**
   * Times full steps (forward, backward, optimizer, after-update hook) on a fixed random batch: at least one
   * warm-up step and about S/3 seconds of them, then at least 3 timed steps over about S seconds.
   *
   * @param phase if not null, receives the summed forward, backward and optimizer seconds of the timed steps
   * @return the median step time, the number of timed steps and the fastest step time
   */
  private static double[] time(Objective objective, AdamW adam, int frames, int batch, double seconds,
      double[] phase) {
    SplittableRandom rng = new SplittableRandom(1);
    float[][][] features = new float[batch][frames][128];
    for (float[][] clip : features) {
      for (float[] row : clip) {
        for (int j = 0; j < row.length; j++) {
          row[j] = (float) rng.nextGaussian();
        }
      }
    }
    Batch data = new Batch(features, new float[batch][0], List.of(), 0);
    objective.setTraining(true);
    long[] stepIndex = {0};
    double[] acc = new double[3];
    Runnable step = () -> {
      long t0 = System.nanoTime();
      long t1;
      long t2;
      try (TensorScope s = TensorScope.newBaseScope();
          GradientTape gc = GradientTape.record()) {
        StepOutput out;
        try (Autocast cast = Autocast.of(Device.CPU, precision)) {
          out = objective.forward(data, s, stepIndex[0]);
        }
        t1 = System.nanoTime();
        gc.backward(out.loss());
        t2 = System.nanoTime();
      }
      adam.step(5e-4);
      objective.afterUpdate(stepIndex[0]++);
      long t3 = System.nanoTime();
      acc[0] += (t1 - t0) / 1e9;
      acc[1] += (t2 - t1) / 1e9;
      acc[2] += (t3 - t2) / 1e9;
    };
    long warmEnd = System.nanoTime() + (long) (seconds / 3 * 1e9);
    step.run();
    while (System.nanoTime() < warmEnd) {
      step.run();
    }
    Arrays.fill(acc, 0);
    double[] times = new double[10_000];
    int n = 0;
    long end = System.nanoTime() + (long) (seconds * 1e9);
    while (n < times.length && (System.nanoTime() < end || n < 3)) {
      long t0 = System.nanoTime();
      step.run();
      times[n++] = (System.nanoTime() - t0) / 1e9;
    }
    if (phase != null) {
      System.arraycopy(acc, 0, phase, 0, 3);
    }
    double[] sorted = Arrays.copyOf(times, n);
    Arrays.sort(sorted);
    return new double[] {sorted[n / 2], n, sorted[0]};
  }

  /** Training FLOPs of one clip's step: 3 x (two encoder passes + two heads on M tokens + the M x M scores). */
  static double flopsPerStep(AudioTransformerConfig c, int masked) {
    double encoder = InferenceThroughput.flopsPerClip(c.withClasses(0));
    double d = c.embedDim();
    double p = c.grid().patchSize();
    double headPass = 2.0 * masked * (d * d + d * p);
    double scores = 2.0 * masked * masked * p;
    return 3 * (2 * encoder + 2 * headPass + scores);
  }
}
