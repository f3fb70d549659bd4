package dev.earshot.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** EAT's roll-mag: a circular shift of the waveform and one gain in [0.5, 1.5] for the whole clip. */
class RollMagnitudeTest {
  @Test
  void rollsCircularlyAndScalesByOneGain() {
    float[] x = new float[1000];
    for (int i = 0; i < x.length; i++) {
      x[i] = i + 1;
    }
    SplittableRandom rng = new SplittableRandom(5);
    for (int trial = 0; trial < 50; trial++) {
      float[] y = FeatureSource.rollMagnitude(x, rng);
      int shift = -1;
      for (int i = 0; i < y.length && shift < 0; i++) {
        if (Math.abs(y[i] / y[(i + y.length - 1) % y.length] - 1f / 1000f) < 1e-4) {
          shift = i; // where the original sample 1 landed
        }
      }
      assertThat(shift).isGreaterThanOrEqualTo(0);
      double gain = y[shift];
      assertThat(gain).isBetween(0.5, 1.5);
      for (int i = 0; i < x.length; i++) {
        assertThat((double) y[(i + shift) % y.length]).isCloseTo(x[i] * gain, org.assertj.core.api.Assertions.within(1e-3));
      }
    }
  }
}
