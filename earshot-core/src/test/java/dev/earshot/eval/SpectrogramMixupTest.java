package dev.earshot.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.earshot.data.Batch;
import java.util.List;
import org.junit.jupiter.api.Test;

/** EAT's spectrogram mix-up pairs each example with its mirror in the batch (timm's batch mode, x.flip(0)). */
class SpectrogramMixupTest {
  @Test
  void mixesFeaturesAndTargetsWithTheReversedBatch() {
    float[][][] x = {{{1f, 1f}}, {{2f, 2f}}, {{4f, 4f}}};
    float[][] y = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
    Batch mixed = ClassificationObjective.mixed(new Batch(x, y, List.of(), 3), 0.75);
    assertThat(mixed.features()[0][0][0]).isCloseTo(0.75f * 1 + 0.25f * 4, within(1e-6f));
    assertThat(mixed.features()[1][0][1]).isCloseTo(2f, within(1e-6f));
    assertThat(mixed.features()[2][0][0]).isCloseTo(0.75f * 4 + 0.25f * 1, within(1e-6f));
    assertThat(mixed.targets()[0]).containsExactly(0.75f, 0f, 0.25f);
    assertThat(mixed.targets()[1]).containsExactly(0f, 1f, 0f);
    assertThat(x[0][0][0]).isEqualTo(1f); // the loader's batch is not modified
    assertThat(mixed.step()).isEqualTo(3);
  }
}
