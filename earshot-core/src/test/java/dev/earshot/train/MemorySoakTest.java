package dev.earshot.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.earshot.tensor.TensorScope;
import dev.earshot.data.BatchLoader;
import dev.earshot.data.Sampler;
import dev.earshot.pretrain.ssast.SsastObjective;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Live native arrays and resident memory stay flat over a few hundred training steps. */
class MemorySoakTest {
  @TempDir Path dir;

  @Test
  void nativeArraysAndRssStayFlat() throws IOException {
    TinyData data = new TinyData(dir.resolve("data"), 32, 1, 1);
    long[] arrays = new long[3];
    long[] rss = new long[3];
    try (TensorScope manager = TensorScope.newBaseScope();
        BatchLoader loader = new BatchLoader(data.pool, data.source, new Sampler.Shuffled(data.pool.size(), 9), 4, 9,
            null, 1, 1)) {
      SsastObjective objective = SsastTrainingTest.objective(manager, 9);
      AdamW adam = new AdamW(manager, ParamGroups.build(objective.trainable(), 0.01, 1, 2, true),
          AdamW.Settings.adamW(0.9, 0.95));
      TrainingListener probe = new TrainingListener() {
        @Override
        public void onStep(long done, long total, double lr, Map<String, Double> metrics) {
          int slot = done == 100 ? 0 : done == 200 ? 1 : done == 300 ? 2 : -1;
          if (slot >= 0) {
            System.gc();
            arrays[slot] = manager.liveTensors();
            rss[slot] = rssKilobytes();
          }
        }
      };
      new Trainer(objective, loader, adam, new LrSchedule.Constant(5e-4), new TrainerConfig(300, 1, 1.0, 1000, 50, 9),
          dir.resolve("run"), Map.of(), probe).run(false);
    }
    System.out.printf("soak: managed arrays %d / %d / %d, RSS %d / %d / %d kB at steps 100 / 200 / 300%n", arrays[0],
        arrays[1], arrays[2], rss[0], rss[1], rss[2]);
    assertThat(arrays[1]).isEqualTo(arrays[0]);
    assertThat(arrays[2]).isEqualTo(arrays[0]);
    assertThat(rss[2] - rss[0]).as("RSS growth from step 100 to 300 (kB)").isLessThan(64 * 1024);
  }

  /** Every method's step leaves no array behind in the long-lived manager (EAT, ASiT, SS-MAST; 40 steps each). */
  @Test
  void teacherMethodsLeaveNoArraysBehind() throws IOException {
    TinyData data = new TinyData(dir.resolve("data2"), 16, 1, 1);
    java.util.List<java.util.function.Function<TensorScope, Objective>> methods = java.util.List.of(
        m -> EatTrainingTest.objective(m, 3), m -> AsitTrainingTest.objective(m, 3),
        m -> SsmastTrainingTest.objective(m, 3));
    for (java.util.function.Function<TensorScope, Objective> method : methods) {
      long[] arrays = new long[2];
      try (TensorScope manager = TensorScope.newBaseScope();
          BatchLoader loader = new BatchLoader(data.pool, data.source, new Sampler.Shuffled(data.pool.size(), 3), 4,
              3, null, 1, 1)) {
        Objective objective = method.apply(manager);
        AdamW adam = new AdamW(manager, ParamGroups.build(objective.trainable(), 0.01, 1, 2, true),
            AdamW.Settings.adamW(0.9, 0.95));
        TrainingListener probe = new TrainingListener() {
          @Override
          public void onStep(long done, long total, double lr, Map<String, Double> metrics) {
            if (done == 10 || done == 40) {
              arrays[done == 10 ? 0 : 1] = manager.liveTensors();
            }
          }
        };
        new Trainer(objective, loader, adam, new LrSchedule.Constant(5e-4), new TrainerConfig(40, 1, 1.0, 1000, 50, 3),
            dir.resolve("run-" + objective.getClass().getSimpleName()), Map.of(), probe).run(false);
      }
      System.out.printf("soak: managed arrays %d at step 10, %d at step 40%n", arrays[0], arrays[1]);
      assertThat(arrays[1]).as("live arrays in the model manager").isEqualTo(arrays[0]);
    }
  }

  private static long rssKilobytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException e) {
      return -1;
    }
    return -1;
  }
}
