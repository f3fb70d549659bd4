package dev.earshot.features;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.earshot.io.Npy;
import dev.earshot.io.NpyArray;
import dev.earshot.testing.Fixtures;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/**
 * SpecAugment masks equal torchaudio's FrequencyMasking/TimeMasking(iid_masks=True) when fed the same uniform
 * draws (recorded by tools/fixtures/gen_frontend.py).
 */
class SpecAugmentParityTest {
  private static final String ROOT = "/fixtures/frontend/";

  /** Replays recorded float draws in order. */
  private static final class Replay implements RandomGenerator {
    private final float[] values;
    private int next;

    Replay(float[] values) {
      this.values = values;
    }

    @Override
    public float nextFloat() {
      return values[next++];
    }

    @Override
    public long nextLong() {
      throw new UnsupportedOperationException("only nextFloat is replayed");
    }
  }

  @Test
  void masksEqualTorchaudio() {
    JsonNode cases = Fixtures.json(ROOT + "cases.json").get("specaugment");
    assertThat(cases).hasSize(3);
    for (JsonNode c : cases) {
      float[][] features = Npy.read(Fixtures.path(ROOT + c.get("features").asText())).toMatrix();
      int frames = c.get("frames").asInt();
      float[] draws = Npy.read(Fixtures.path(ROOT + c.get("draws").asText())).toFloats(); // (B, 4)
      NpyArray masked = Npy.read(Fixtures.path(ROOT + c.get("masked").asText())); // (B, T, F) bool
      int batch = masked.shape()[0];
      int bins = masked.shape()[2];
      long[] expected = masked.toLongs();
      SpecAugment augment = new SpecAugment(c.get("freqMaskParam").asDouble(), c.get("timeMaskParam").asDouble());
      int maskedCells = 0;
      for (int i = 0; i < batch; i++) {
        float[][] x = new float[frames][bins];
        for (int t = 0; t < frames; t++) {
          for (int f = 0; f < bins; f++) {
            x[t][f] = features[t][f] + i;
          }
        }
        augment.applyInPlace(x, new Replay(new float[] {
            draws[i * 4], draws[i * 4 + 1], draws[i * 4 + 2], draws[i * 4 + 3]}));
        for (int t = 0; t < frames; t++) {
          for (int f = 0; f < bins; f++) {
            boolean zero = x[t][f] == 0;
            maskedCells += zero ? 1 : 0;
            assertThat(zero).as("%s example %d frame %d bin %d", c.get("name").asText(), i, t, f)
                .isEqualTo(expected[(i * frames + t) * bins + f] != 0);
          }
        }
      }
      assertThat(maskedCells).as("the fixture masks something").isGreaterThan(1000);
    }
  }

  @Test
  void independentPerExampleAndReproducible() {
    SpecAugment augment = new SpecAugment(30, 60);
    java.util.SplittableRandom rng = new java.util.SplittableRandom(1);
    float[][] a = ones(100, 64);
    float[][] b = ones(100, 64);
    augment.applyInPlace(a, rng);
    augment.applyInPlace(b, rng);
    assertThat(a).isNotEqualTo(b);
    float[][] c = ones(100, 64);
    augment.applyInPlace(c, new java.util.SplittableRandom(1));
    assertThat(c).isEqualTo(a);
    float[][] none = ones(10, 8);
    new SpecAugment(0, 0.5).applyInPlace(none, rng);
    assertThat(none).isEqualTo(ones(10, 8));
  }

  private static float[][] ones(int t, int f) {
    float[][] x = new float[t][f];
    for (float[] row : x) {
      java.util.Arrays.fill(row, 1f);
    }
    return x;
  }
}
