package dev.earshot.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EmbeddingSpreadTest {
  @Test
  void eigenvaluesOfAKnownMatrix() {
    double[][] a = {{2, 1, 0}, {1, 2, 0}, {0, 0, 5}};
    double[] e = EmbeddingSpread.eigenvalues(a);
    Arrays.sort(e);
    assertThat(e[0]).isCloseTo(1, within(1e-12));
    assertThat(e[1]).isCloseTo(3, within(1e-12));
    assertThat(e[2]).isCloseTo(5, within(1e-12));
  }

  @Test
  void isotropicEmbeddingsUseEveryDimensionCollapsedOnesOne() {
    SplittableRandom rng = new SplittableRandom(1);
    float[][] iso = new float[4000][8];
    float[][] line = new float[4000][8];
    float[][] same = new float[50][8];
    for (int i = 0; i < iso.length; i++) {
      double t = rng.nextGaussian();
      for (int j = 0; j < 8; j++) {
        iso[i][j] = (float) rng.nextGaussian();
        line[i][j] = (float) (0.1 * t * (j + 1) + 3);
      }
    }
    for (float[] row : same) {
      Arrays.fill(row, 2f);
    }
    EmbeddingSpread s = EmbeddingSpread.of(iso);
    assertThat(s.effectiveRank()).isCloseTo(8, within(0.1));
    assertThat(s.meanStd()).isCloseTo(1, within(0.05));
    assertThat(s.meanCosine()).isCloseTo(0, within(0.01));
    assertThat(EmbeddingSpread.of(line).effectiveRank()).isCloseTo(1, within(1e-3));
    assertThat(EmbeddingSpread.of(line).meanCosine()).isGreaterThan(0.8);
    EmbeddingSpread collapsed = EmbeddingSpread.of(same);
    assertThat(collapsed.meanStd()).isCloseTo(0, within(1e-6));
    assertThat(collapsed.meanCosine()).isCloseTo(1, within(1e-9));
  }
}
