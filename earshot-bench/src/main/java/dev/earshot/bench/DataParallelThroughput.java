package dev.earshot.bench;

import dev.earshot.data.Batch;
import dev.earshot.model.AudioTransformer;
import dev.earshot.model.AudioTransformerConfig;
import dev.earshot.model.ModelRegistry;
import dev.earshot.nn.Parameter;
import dev.earshot.pretrain.ClusterMasking;
import dev.earshot.pretrain.ssast.SsastConfig;
import dev.earshot.pretrain.ssast.SsastHeads;
import dev.earshot.pretrain.ssast.SsastObjective;
import dev.earshot.tensor.Engine;
import dev.earshot.tensor.GradientTape;
import dev.earshot.tensor.TensorScope;
import dev.earshot.tensor.World;
import dev.earshot.train.AdamW;
import dev.earshot.train.DataParallel;
import dev.earshot.train.ParamGroup;
import dev.earshot.train.ParamGroups;
import dev.earshot.train.StepOutput;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The data-parallel SSAST pretraining step split into compute (forward + backward on this worker's share) and
 * communication (the bucketed gradient all-reduce), one process per rank started by the caller with the same
 * port (world 1: no communication). Rank 0 prints one JSON line per model size: median seconds of each part
 * and the gradient bytes all-reduced per step.
 *
 * <p>Usage: {@code DataParallelThroughput --rank R --world W --port P [--sizes tiny,base] [--batch 4] [--steps 6]}
 */
public final class DataParallelThroughput {
  private DataParallelThroughput() {}

  public static void main(String[] args) {
    int rank = 0;
    int world = 1;
    int port = 0;
    String sizes = "tiny,base";
    int batch = 4;
    int steps = 6;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--rank" -> rank = Integer.parseInt(args[i + 1]);
        case "--world" -> world = Integer.parseInt(args[i + 1]);
        case "--port" -> port = Integer.parseInt(args[i + 1]);
        case "--sizes" -> sizes = args[i + 1];
        case "--batch" -> batch = Integer.parseInt(args[i + 1]);
        case "--steps" -> steps = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Engine.disableGradientsForThisThread();
    World w = world == 1 ? World.SINGLE : new World(rank, world, rank, "127.0.0.1", port, Duration.ofMinutes(5));
    try (DataParallel parallel = world == 1 ? null : DataParallel.join(w)) {
      for (String size : sizes.split(",")) {
        run(size, batch, steps, w, parallel);
      }
    }
  }

  private static void run(String size, int batch, int steps, World world, DataParallel parallel) {
    AudioTransformerConfig config = ModelRegistry.get("ssast-" + size + "-patch", 1024, 0);
    try (TensorScope m = TensorScope.newBaseScope()) {
      AudioTransformer encoder = new AudioTransformer(m, config, 0);
      SsastHeads heads = new SsastHeads(m, config.embedDim(), config.grid().patchSize(), new SplittableRandom(1));
      SsastObjective objective = new SsastObjective(encoder, heads, SsastConfig.joint(ClusterMasking.patches(400)), 0);
      AdamW adam = new AdamW(m, ParamGroups.build(objective.trainable(), 5e-7, 1, config.depth(), true),
          AdamW.Settings.adam(0.95, 0.999));
      List<Parameter> params = new ArrayList<>();
      for (ParamGroup g : adam.groups()) {
        params.addAll(g.parameters().values());
      }
      long bytes = 0;
      for (Parameter p : params) {
        bytes += p.array().size() * 4;
      }
      SplittableRandom rng = new SplittableRandom(1 + world.rank());
      float[][][] features = new float[batch][1024][128];
      for (float[][] clip : features) {
        for (float[] row : clip) {
          for (int j = 0; j < row.length; j++) {
            row[j] = (float) rng.nextGaussian();
          }
        }
      }
      objective.setTraining(true);
      double[] compute = new double[steps];
      double[] comm = new double[steps];
      for (int s = 0; s <= steps; s++) {
        Batch data = new Batch(features, new float[batch][0], List.of(), s, world.rank() * batch,
            world.size() * batch);
        long t0 = System.nanoTime();
        try (TensorScope step = m.newSubScope(); GradientTape tape = GradientTape.record()) {
          StepOutput out = objective.forward(data, step, s);
          tape.backward(out.loss());
        }
        long t1 = System.nanoTime();
        if (parallel != null) {
          parallel.averageGradients(params);
        }
        long t2 = System.nanoTime();
        adam.step(5e-4);
        if (s > 0) { // the first step warms up
          compute[s - 1] = (t1 - t0) / 1e9;
          comm[s - 1] = (t2 - t1) / 1e9;
        }
      }
      Arrays.sort(compute);
      Arrays.sort(comm);
      if (world.isLeader()) {
        System.out.printf(Locale.ROOT, "{\"impl\": \"earshot\", \"bench\": \"data-parallel\", \"size\": \"%s\","
            + " \"world\": %d, \"batch_per_worker\": %d, \"gradient_mb\": %.1f, \"compute_s\": %.4f,"
            + " \"allreduce_s\": %.4f, \"threads\": %d}%n", size, world.size(), batch, bytes / 1e6,
            compute[steps / 2], comm[steps / 2], Engine.threads());
      }
    }
  }
}
