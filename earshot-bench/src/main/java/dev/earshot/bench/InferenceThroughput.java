package dev.earshot.bench;

import dev.earshot.tensor.Tensor;
import dev.earshot.tensor.TensorScope;
import dev.earshot.tensor.Shape;
import dev.earshot.tensor.Autocast;
import dev.earshot.tensor.Device;
import dev.earshot.tensor.Engine;
import dev.earshot.tensor.Precision;
import dev.earshot.model.AudioTransformer;
import dev.earshot.model.AudioTransformerConfig;
import dev.earshot.model.ModelRegistry;
import java.util.Arrays;
import java.util.Locale;

/**
 * Inference throughput of earshot's encoder (SSAST patch model, 16x16 stride 16, 527-class head, mean
 * pooling, eval, no gradients) and the machine's matmul peak measured in the same process. One JSON line per
 * configuration; FLOPs are counted analytically (patch projection, 24 N D^2 + 4 N^2 D per block, head).
 *
 * <p>Usage: {@code InferenceThroughput [--seconds S] [--sizes tiny,base] [--frames 100,1024] [--batches 1,16]}
 */
public final class InferenceThroughput {
  private InferenceThroughput() {}

  public static void main(String[] args) {
    double seconds = 6;
    String sizes = "tiny,base";
    String frameList = "100,1024";
    String batchList = "1,16";
    Precision precision = Precision.FP32;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--seconds" -> seconds = Double.parseDouble(args[i + 1]);
        case "--sizes" -> sizes = args[i + 1];
        case "--frames" -> frameList = args[i + 1];
        case "--batches" -> batchList = args[i + 1];
        case "--precision" -> precision = Precision.parse(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Engine.disableGradientsForThisThread();
    try (TensorScope manager = TensorScope.newBaseScope()) {
      double peak = matmulPeak(manager, seconds);
      System.out.printf(Locale.ROOT, "{\"impl\": \"earshot\", \"matmul_peak_gflops\": %.1f, \"threads\": %d}%n", peak,
          Engine.threads());
      for (String size : sizes.split(",")) {
        for (String f : frameList.split(",")) {
          int frames = Integer.parseInt(f);
          AudioTransformerConfig config = ModelRegistry.get("ssast-" + size + "-patch", frames, 527);
          try (TensorScope modelManager = manager.newSubScope()) {
            AudioTransformer model = new AudioTransformer(modelManager, config, 0);
            for (String b : batchList.split(",")) {
              int batch = Integer.parseInt(b);
              run(model, config, frames, batch, seconds, peak, precision);
            }
          }
        }
      }
    }
  }

  private static void run(AudioTransformer model, AudioTransformerConfig config, int frames, int batch,
      double seconds, double peak, Precision precision) {
    TensorScope parent = model.manager();
    Runnable step = () -> {
      try (TensorScope s = parent.newSubScope(); Autocast cast = Autocast.of(Device.CPU, precision)) {
        Tensor x = s.randomNormal(new Shape(batch, frames, 128), 0, 1, 1);
        model.forward(x).toFloatArray();
      }
    };
    long warmEnd = System.nanoTime() + (long) (seconds / 3 * 1e9);
    step.run();
    while (System.nanoTime() < warmEnd) {
      step.run();
    }
    double[] times = new double[10_000];
    int n = 0;
    long end = System.nanoTime() + (long) (seconds * 1e9);
    while (n < times.length && (System.nanoTime() < end || n < 3)) {
      long t0 = System.nanoTime();
      step.run();
      times[n++] = (System.nanoTime() - t0) / 1e9;
    }
    double[] sorted = Arrays.copyOf(times, n);
    Arrays.sort(sorted);
    double median = sorted[n / 2];
    double flops = flopsPerClip(config) * batch;
    System.out.printf(Locale.ROOT,
        "{\"impl\": \"earshot\", \"engine\": \"%s\", \"precision\": \"%s\", \"size\": \"%s\", \"frames\": %d,"
            + " \"batch\": %d, \"calls\": %d, \"median_s\": %.6f, \"best_s\": %.6f,"
            + " \"clips_per_s\": %.3f, \"gflops\": %.1f, \"fraction_of_peak\": %.3f}%n", Engine.version(), precision,
        config.embedDim() == 192 ? "tiny" : config.embedDim() == 768 ? "base" : "d" + config.embedDim(), frames,
        batch, n, median, sorted[0], batch / median, flops / median / 1e9, flops / median / 1e9 / peak);
  }

  /** Forward FLOPs of one clip (multiply-add = 2). */
  static double flopsPerClip(AudioTransformerConfig c) {
    double n = c.specialTokens() + c.grid().numPatches();
    double d = c.embedDim();
    double perBlock = 2 * n * d * 3 * d + 2 * n * d * d + 2 * 2 * n * d * c.mlpHidden() + 4 * n * n * d;
    double patch = 2.0 * c.grid().numPatches() * d * c.grid().patchSize();
    double head = 2.0 * d * c.numClasses();
    return c.depth() * perBlock + patch + head;
  }

  /** Best single-precision GEMM rate (2 n^3 FLOPs for n = 1024) over about S/3 seconds, in GFLOP/s. */
  static double matmulPeak(TensorScope manager, double seconds) {
    try (TensorScope s = manager.newSubScope()) {
      Tensor a = s.randomNormal(new Shape(1024, 1024), 0, 1, 1);
      Tensor b = s.randomNormal(new Shape(1024, 1024), 0, 1, 1);
      double best = Double.MAX_VALUE;
      long end = System.nanoTime() + (long) (Math.max(2, seconds / 3) * 1e9);
      while (System.nanoTime() < end) {
        long t0 = System.nanoTime();
        try (Tensor c = a.matMul(b)) {
          c.toFloatArray();
        }
        best = Math.min(best, (System.nanoTime() - t0) / 1e9);
      }
      return 2.0 * 1024 * 1024 * 1024 / best / 1e9;
    }
  }
}
