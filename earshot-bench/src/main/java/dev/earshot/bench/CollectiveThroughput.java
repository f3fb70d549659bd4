package dev.earshot.bench;

import dev.earshot.tensor.Engine;
import dev.earshot.tensor.ProcessGroup;
import dev.earshot.tensor.Shape;
import dev.earshot.tensor.Tensor;
import dev.earshot.tensor.TensorScope;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * All-reduce throughput between processes (Gloo over TCP): one process per rank, started by the caller with
 * the same port. Rank 0 prints one JSON line per message size: median time, algorithm bandwidth (bytes /
 * time) and bus bandwidth (2 (W - 1) / W x bytes / time, the ring's traffic per link).
 *
 * <p>Usage: {@code CollectiveThroughput --rank R --world W --port P [--sizes-mb 1,4,16,64] [--repeats 10]}
 */
public final class CollectiveThroughput {
  private CollectiveThroughput() {}

  public static void main(String[] args) {
    int rank = 0;
    int world = 2;
    int port = 29500;
    String sizes = "1,4,16,64";
    int repeats = 10;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--rank" -> rank = Integer.parseInt(args[i + 1]);
        case "--world" -> world = Integer.parseInt(args[i + 1]);
        case "--port" -> port = Integer.parseInt(args[i + 1]);
        case "--sizes-mb" -> sizes = args[i + 1];
        case "--repeats" -> repeats = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Engine.disableGradientsForThisThread();
    try (ProcessGroup group = ProcessGroup.join(rank, world, "127.0.0.1", port, Duration.ofMinutes(2));
        TensorScope scope = TensorScope.newBaseScope()) {
      for (String s : sizes.split(",")) {
        double mb = Double.parseDouble(s);
        long floats = (long) (mb * 1e6 / 4);
        Tensor t = scope.randomNormal(new Shape(floats), 0, 1, rank);
        group.allReduceSum(List.of(t));
        double[] times = new double[repeats];
        for (int r = 0; r < repeats; r++) {
          group.barrier();
          long t0 = System.nanoTime();
          group.allReduceSum(List.of(t));
          times[r] = (System.nanoTime() - t0) / 1e9;
        }
        Arrays.sort(times);
        double median = times[repeats / 2];
        double bytes = floats * 4.0;
        if (rank == 0) {
          System.out.printf(Locale.ROOT,
              "{\"impl\": \"earshot\", \"bench\": \"allreduce\", \"engine\": \"%s\", \"world\": %d, \"mb\": %.1f,"
                  + " \"median_ms\": %.3f, \"algbw_gb_s\": %.3f, \"busbw_gb_s\": %.3f}%n",
              Engine.version(), world, bytes / 1e6, median * 1e3, bytes / median / 1e9,
              2.0 * (world - 1) / world * bytes / median / 1e9);
        }
        t.close();
      }
    }
  }
}
