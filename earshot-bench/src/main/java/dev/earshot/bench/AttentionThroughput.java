package dev.earshot.bench;

import dev.earshot.tensor.Autocast;
import dev.earshot.tensor.Device;
import dev.earshot.tensor.Engine;
import dev.earshot.tensor.GradientTape;
import dev.earshot.tensor.Precision;
import dev.earshot.tensor.Shape;
import dev.earshot.tensor.Temporaries;
import dev.earshot.tensor.Tensor;
import dev.earshot.tensor.TensorScope;
import java.util.Arrays;
import java.util.Locale;

/**
 * Attention alone, fused ({@code scaled_dot_product_attention}) against separate kernels (scale q, q k^T,
 * softmax, times v), forward and forward + backward, on (B, H, N, 64) inputs. One JSON line per case.
 *
 * <p>Usage: {@code AttentionThroughput [--seconds S] [--tokens 49,513,1213] [--heads 3,12] [--batch 8]
 * [--precision fp32|bf16]}
 */
public final class AttentionThroughput {
  private AttentionThroughput() {}

  public static void main(String[] args) {
    double seconds = 3;
    String tokens = "49,513,1213";
    String heads = "3,12";
    int batch = 8;
    Precision precision = Precision.FP32;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--seconds" -> seconds = Double.parseDouble(args[i + 1]);
        case "--tokens" -> tokens = args[i + 1];
        case "--heads" -> heads = args[i + 1];
        case "--batch" -> batch = Integer.parseInt(args[i + 1]);
        case "--precision" -> precision = Precision.parse(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Engine.disableGradientsForThisThread();
    for (String h : heads.split(",")) {
      for (String n : tokens.split(",")) {
        for (boolean fused : new boolean[] {false, true}) {
          for (boolean backward : new boolean[] {false, true}) {
            double[] t = time(batch, Integer.parseInt(h), Integer.parseInt(n), fused, backward, precision, seconds);
            System.out.printf(Locale.ROOT,
                "{\"impl\": \"earshot\", \"bench\": \"attention\", \"engine\": \"javacpp-pytorch-%s\", \"precision\": \"%s\","
                    + " \"batch\": %d, \"heads\": %s, \"tokens\": %s, \"fused\": %b, \"backward\": %b,"
                    + " \"median_ms\": %.3f, \"best_ms\": %.3f}%n",
                Engine.version(), precision, batch, h, n, fused, backward, t[0] * 1e3, t[1] * 1e3);
          }
        }
      }
    }
  }

  /** Median and fastest seconds of one call. */
  private static double[] time(int b, int h, int n, boolean fused, boolean backward, Precision precision,
      double seconds) {
    try (TensorScope scope = TensorScope.newBaseScope()) {
      Shape shape = new Shape(b, h, n, 64);
      Tensor q = scope.randomNormal(shape, 0, 1, 1).setRequiresGradient(backward);
      Tensor k = scope.randomNormal(shape, 0, 1, 2).setRequiresGradient(backward);
      Tensor v = scope.randomNormal(shape, 0, 1, 3).setRequiresGradient(backward);
      Tensor weights = scope.randomNormal(shape, 0, 1, 4); // a dense upstream gradient, as in a network
      double scale = 1 / Math.sqrt(64);
      Runnable once = () -> {
        try (Temporaries temporaries = Temporaries.open(); GradientTape tape = GradientTape.record();
            Autocast cast = Autocast.of(Device.CPU, precision)) {
          Tensor out = fused ? Tensor.scaledDotProductAttention(q, k, v, scale, 0)
              : q.mul(scale).matMul(k.swapAxes(2, 3)).softmax(-1).matMul(v);
          if (backward) {
            tape.backward(out.mul(weights).sum());
          } else {
            out.sum().getFloat();
          }
        }
      };
      once.run();
      double[] times = new double[100_000];
      int count = 0;
      long end = System.nanoTime() + (long) (seconds * 1e9);
      while (count < times.length && (System.nanoTime() < end || count < 5)) {
        long t0 = System.nanoTime();
        once.run();
        times[count++] = (System.nanoTime() - t0) / 1e9;
      }
      double[] sorted = Arrays.copyOf(times, count);
      Arrays.sort(sorted);
      return new double[] {sorted[count / 2], sorted[0]};
    }
  }
}
