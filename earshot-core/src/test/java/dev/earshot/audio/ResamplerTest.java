package dev.earshot.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ResamplerTest {
  @Test
  void lengthsFollowTorchaudio() {
    assertThat(Resampler.of(44100, 16000).outputLength(44100)).isEqualTo(16000);
    assertThat(Resampler.of(44100, 16000).outputLength(1)).isEqualTo(1);
    assertThat(Resampler.of(8000, 16000).outputLength(6007)).isEqualTo(12014);
    assertThat(Resampler.of(22050, 16000).outputLength(1000)).isEqualTo(726); // ceil(1000 * 320 / 441)
  }

  @Test
  void sameRateIsIdentity() {
    float[] x = {1, 2, 3};
    assertThat(Resampler.of(16000, 16000).apply(x)).isSameAs(x);
  }

  @Test
  void keepsAToneBelowTheCutoff() {
    int n = 48000;
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) Math.sin(2 * Math.PI * 1000 * i / 48000.0);
    }
    float[] y = Resampler.of(48000, 16000).apply(x);
    assertThat(y).hasSize(16000);
    for (int i = 200; i < 15800; i++) {
      assertThat((double) y[i]).isCloseTo(Math.sin(2 * Math.PI * 1000 * i / 16000.0), within(2e-3));
    }
  }

  @Test
  void besselMatchesKnownValues() {
    assertThat(Resampler.besselI0(0)).isEqualTo(1.0);
    assertThat(Resampler.besselI0(1)).isCloseTo(1.2660658777520082, within(1e-15));
    // scipy.special.i0(14.769656459379492)
    assertThat(Resampler.besselI0(14.769656459379492)).isCloseTo(271903.6406814566, within(1e-8));
  }
}
