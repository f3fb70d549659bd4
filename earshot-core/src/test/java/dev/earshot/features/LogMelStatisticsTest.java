package dev.earshot.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LogMelStatisticsTest {
  @Test
  void meansThenPopulationStandardDeviationsPerBand() {
    float[][] fbank = {{1, 10}, {3, 10}, {5, 10}, {7, 10}};
    float[] s = LogMelStatistics.of(fbank);
    assertThat(s).hasSize(4);
    assertThat(s[0]).isEqualTo(4f);
    assertThat(s[1]).isEqualTo(10f);
    assertThat((double) s[2]).isCloseTo(Math.sqrt(5), within(1e-6)); // (9 + 1 + 1 + 9) / 4
    assertThat(s[3]).isEqualTo(0f);
  }

  @Test
  void anEventAnywhereInTheClipChangesItsBandsStatistics() {
    float[][] quiet = new float[100][3];
    float[][] early = new float[100][3];
    float[][] late = new float[100][3];
    early[5][1] = 8;
    late[95][1] = 8;
    assertThat(LogMelStatistics.of(early)).isEqualTo(LogMelStatistics.of(late))
        .isNotEqualTo(LogMelStatistics.of(quiet));
  }
}
