package dev.earshot.features;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FastLogTest {
  @Test
  void agreesWithMathLogOverTheFilterbankRange() {
    SplittableRandom rng = new SplittableRandom(11);
    double worst = 0;
    for (int i = 0; i < 2_000_000; i++) {
      double x = Math.exp(rng.nextDouble(-16, 40)); // float epsilon .. far above any filter energy
      worst = Math.max(worst, Math.abs(FastLog.log(x) - Math.log(x)));
    }
    assertThat(worst).isLessThan(1e-13);
    assertThat(Math.abs(FastLog.log(1.0))).isLessThan(1e-15);
    assertThat(Math.abs(FastLog.log(KaldiFbank.FLOAT_EPSILON) - Math.log(KaldiFbank.FLOAT_EPSILON)))
        .isLessThan(1e-14);
  }
}
