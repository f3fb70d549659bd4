package dev.earshot.features;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** One KaldiFbank shared by many threads gives exactly the single-threaded features (data loaders do this). */
class ConcurrentFbankTest {
  @Test
  void sharedInstanceIsThreadSafe() throws Exception {
    KaldiFbank fbank = new KaldiFbank(FbankConfig.ast());
    List<float[]> clips = new ArrayList<>();
    for (int c = 0; c < 8; c++) {
      float[] x = new float[16000];
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) (0.3 * Math.sin(i * (0.01 + 0.013 * c)) + 0.01 * Math.sin(i * 1.7));
      }
      clips.add(x);
    }
    List<float[][]> expected = new ArrayList<>();
    for (float[] x : clips) {
      expected.add(fbank.compute(x));
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<float[][]>> futures = new ArrayList<>();
    for (int rep = 0; rep < 200; rep++) {
      float[] x = clips.get(rep % clips.size());
      futures.add(pool.submit(() -> fbank.compute(x)));
    }
    for (int rep = 0; rep < futures.size(); rep++) {
      assertThat(futures.get(rep).get()).isDeepEqualTo(expected.get(rep % clips.size()));
    }
    pool.shutdown();
  }
}
