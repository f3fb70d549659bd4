package dev.earshot.audio;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Resampling in chunks of any size gives exactly the whole-signal result. */
class StreamingResamplerTest {
  @Test
  void chunkedEqualsWhole() {
    int[][] pairs = {{44100, 16000}, {48000, 16000}, {22050, 16000}, {8000, 16000}, {32000, 16000},
        {11025, 16000}, {16000, 16000}, {16000, 22050}};
    Random random = new Random(3);
    for (int[] p : pairs) {
      for (int length : new int[] {1, 37, 1000, 20_123}) {
        float[] x = new float[length];
        for (int i = 0; i < length; i++) {
          x[i] = (float) (random.nextGaussian() * 0.3);
        }
        Resampler resampler = Resampler.of(p[0], p[1]);
        float[] whole = resampler.apply(x);
        for (int maxChunk : length <= 1000 ? new int[] {1, 333} : new int[] {700, 4000, 100_000}) {
          StreamingResampler s = new StreamingResampler(resampler);
          float[] out = new float[0];
          int at = 0;
          while (at < length) {
            int c = Math.min(length - at, 1 + random.nextInt(maxChunk));
            out = concat(out, s.accept(Arrays.copyOfRange(x, at, at + c), c));
            at += c;
          }
          out = concat(out, s.finish());
          assertThat(out).as("%d -> %d Hz, %d samples, chunks up to %d", p[0], p[1], length, maxChunk)
              .containsExactly(whole);
          assertThat(s.emitted()).isEqualTo(whole.length);
        }
      }
    }
  }

  private static float[] concat(float[] a, float[] b) {
    float[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
