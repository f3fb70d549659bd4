package dev.earshot.pretrain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.earshot.ConfigException;
import dev.earshot.model.ModelRegistry;
import dev.earshot.model.PatchGrid;
import dev.earshot.testing.Fixtures;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * EAT's inverse block masks: exact counts, and the same distribution as the official sampler
 * ({@code compute_block_mask_2d}), whose statistics over 4,000 draws are in the fixtures.
 */
class InverseBlockMaskingTest {
  private static final PatchGrid GRID = ModelRegistry.get("eat-base", 1024, 0).grid(); // 64 x 8, time-major

  @Test
  void masksExactlyTheConfiguredCountInGridOrder() {
    InverseBlockMasking masking = InverseBlockMasking.eatBase();
    assertThat(masking.keptCount(512)).isEqualTo(102);
    Mask m = masking.sample(GRID, 1024, 64, new SplittableRandom(1));
    assertThat(m.tokens()).isEqualTo(512);
    assertThat(m.count()).isEqualTo(410);
    for (int[] row : m.indices()) {
      for (int i = 1; i < row.length; i++) {
        assertThat(row[i]).isGreaterThan(row[i - 1]);
      }
    }
    assertThat(m.indices()[0]).isNotEqualTo(m.indices()[1]);
    // EAT-large: 75% masked, 128 kept
    assertThat(new InverseBlockMasking(0.75, 0.07, 5).maskedCount(512)).isEqualTo(384);
  }

  @Test
  void isDeterministicForASeed() {
    InverseBlockMasking masking = InverseBlockMasking.eatBase();
    assertThat(masking.sample(GRID, 1024, 4, new SplittableRandom(9)).indices())
        .isDeepEqualTo(masking.sample(GRID, 1024, 4, new SplittableRandom(9)).indices());
  }

  @Test
  void matchesTheOfficialSamplersStatistics() {
    JsonNode ref = Fixtures.modelCase("eat_mask_statistics");
    int draws = 4000;
    Mask m = InverseBlockMasking.eatBase().sample(GRID, 1024, draws, new SplittableRandom(3));
    double[] bandKeep = new double[8];
    double first = 0;
    double last = 0;
    double middle = 0;
    long kept = 0;
    long withNeighbour = 0;
    for (int[] row : m.indices()) {
      boolean[][] keep = new boolean[64][8];
      for (boolean[] r : keep) {
        java.util.Arrays.fill(r, true);
      }
      for (int i : row) {
        keep[i / 8][i % 8] = false;
      }
      for (int t = 0; t < 64; t++) {
        for (int f = 0; f < 8; f++) {
          if (!keep[t][f]) {
            continue;
          }
          kept++;
          bandKeep[f]++;
          if (t == 0) {
            first++;
          } else if (t == 63) {
            last++;
          } else if (t >= 2 && t < 62) {
            middle++;
          }
          boolean n = (t > 0 && keep[t - 1][f]) || (t < 63 && keep[t + 1][f]) || (f > 0 && keep[t][f - 1])
              || (f < 7 && keep[t][f + 1]);
          withNeighbour += n ? 1 : 0;
        }
      }
    }
    assertThat(ref.get("masked_per_example").get(0).asInt()).isEqualTo(m.count());
    assertThat((double) withNeighbour / kept).as("kept patches with a kept neighbour")
        .isCloseTo(ref.get("kept_with_a_kept_neighbour").asDouble(), within(0.01));
    for (int f = 0; f < 8; f++) {
      assertThat(bandKeep[f] / (draws * 64.0)).as("keep rate of frequency band %d", f)
          .isCloseTo(ref.get("keep_rate_by_frequency_band").get(f).asDouble(), within(0.01));
    }
    assertThat(first / (draws * 8.0)).as("keep rate of the first time patch")
        .isCloseTo(ref.get("keep_rate_first_last_time_patch").get(0).asDouble(), within(0.01));
    assertThat(last / (draws * 8.0)).as("keep rate of the last time patch")
        .isCloseTo(ref.get("keep_rate_first_last_time_patch").get(1).asDouble(), within(0.01));
    assertThat(middle / (draws * 60.0 * 8)).isCloseTo(ref.get("keep_rate_middle_time_patches").asDouble(), within(0.005));
  }

  @Test
  void rejectsImpossibleSettings() {
    assertThatThrownBy(() -> new InverseBlockMasking(1.0, 0.07, 5)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("maskFraction");
    assertThatThrownBy(() -> new InverseBlockMasking(0.8, 0.07, 1)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("maskBlock");
  }
}
