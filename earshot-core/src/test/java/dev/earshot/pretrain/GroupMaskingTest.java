package dev.earshot.pretrain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.earshot.testing.Fixtures;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * ASiT's GMML corruption: both modes cover the areas the official functions cover (statistics of 300 official
 * draws on 592 x 128 crops in the fixtures), zeros mode writes zeros, paste mode copies the partner, and the
 * mask marks exactly the changed cells.
 */
class GroupMaskingTest {
  private static final JsonNode REF = Fixtures.json("/fixtures/asit/manifest.json").get("cases").get(1);

  @Test
  void zeroedAreaMatchesTheOfficialDistribution() {
    GroupMasking m = GroupMasking.asit();
    SplittableRandom rng = new SplittableRandom(1);
    double sum = 0;
    double min = 1;
    double max = 0;
    for (int i = 0; i < 300; i++) {
      float[][] x = filled(592, 128, 1f);
      float[][] mask = m.zeros(x, rng);
      double area = 0;
      for (int t = 0; t < 592; t++) {
        for (int f = 0; f < 128; f++) {
          area += mask[t][f];
          assertThat(x[t][f]).isEqualTo(mask[t][f] == 1f ? 0f : 1f);
        }
      }
      area /= 592 * 128;
      sum += area;
      min = Math.min(min, area);
      max = Math.max(max, area);
    }
    assertThat(sum / 300).isCloseTo(REF.get("drop_zeros_area_mean").asDouble(), within(0.01));
    assertThat(min).isGreaterThanOrEqualTo(0.5);
    assertThat(max).isLessThan(REF.get("drop_zeros_area_max").asDouble() + 0.03);
  }

  @Test
  void pastedAreaMatchesTheOfficialDistributionAndCopiesThePartner() {
    GroupMasking m = GroupMasking.asit();
    SplittableRandom rng = new SplittableRandom(2);
    double sum = 0;
    for (int i = 0; i < 300; i++) {
      float[][] x = filled(592, 128, 1f);
      float[][] partner = filled(592, 128, 7f);
      float[][] mask = m.paste(x, partner, rng);
      double area = 0;
      for (int t = 0; t < 592; t++) {
        for (int f = 0; f < 128; f++) {
          area += mask[t][f];
          assertThat(x[t][f]).isEqualTo(mask[t][f] == 1f ? 7f : 1f);
        }
      }
      area /= 592 * 128;
      assertThat(area).isGreaterThanOrEqualTo(0.3);
      sum += area;
    }
    assertThat(sum / 300).isCloseTo(REF.get("replace_area_mean").asDouble(), within(0.01));
  }

  @Test
  void aBatchIsCorruptedOneWayOrTheOtherAndTheCleanCropsAreUntouched() {
    GroupMasking m = GroupMasking.asit();
    float[][][] clean = new float[40][][];
    for (int i = 0; i < clean.length; i++) {
      clean[i] = filled(64, 128, i + 1);
    }
    GroupMasking.Corrupted c = m.corrupt(clean, new SplittableRandom(3));
    int zeros = 0;
    int pasted = 0;
    for (int i = 0; i < clean.length; i++) {
      assertThat(clean[i][0][0]).isEqualTo(i + 1f);
      boolean anyZero = false;
      boolean anyOther = false;
      for (int t = 0; t < 64; t++) {
        for (int f = 0; f < 128; f++) {
          float v = c.crops()[i][t][f];
          if (c.masks()[i][t][f] == 1f) {
            anyZero |= v == 0f;
            anyOther |= v != 0f && v != i + 1f;
          } else {
            assertThat(v).isEqualTo(i + 1f);
          }
        }
      }
      zeros += anyZero ? 1 : 0;
      pasted += anyOther ? 1 : 0;
    }
    assertThat(zeros).isBetween(8, 32); // about half of 40 each way (a crop pasted from itself counts as neither)
    assertThat(pasted).isBetween(8, 32);
  }

  @Test
  void alignedBlocksStartAndEndOnPatchBoundaries() {
    GroupMasking m = new GroupMasking(0.7, 0.3, 0.5, 16, 0.3);
    float[][] x = filled(592, 128, 1f);
    float[][] mask = m.zeros(x, new SplittableRandom(4));
    for (int t = 0; t < 592; t += 16) {
      for (int f = 0; f < 128; f += 16) {
        float first = mask[t][f];
        for (int i = 0; i < 16 && t + i < 592; i++) {
          for (int j = 0; j < 16; j++) {
            assertThat(mask[t + i][f + j]).isEqualTo(first);
          }
        }
      }
    }
  }

  private static float[][] filled(int t, int f, float v) {
    float[][] x = new float[t][f];
    for (float[] row : x) {
      java.util.Arrays.fill(row, v);
    }
    return x;
  }
}
