package dev.earshot.model.mast;

import static org.assertj.core.api.Assertions.assertThat;

import dev.earshot.tensor.TensorScope;
import dev.earshot.tensor.Shape;
import dev.earshot.model.Encoder;
import dev.earshot.model.MultiscaleTransformer;
import dev.earshot.tensor.Engine;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Stage grids and widths for several input lengths, including lengths past the 566 frames LAPE's MAST can take
 * (the relative-position tables sized for a 56-wide grid are interpolated).
 */
class MultiscaleShapesTest {
  @Test
  void stagesHalveTheGridAndWidenTheChannels() {
    Engine.disableGradientsForThisThread();
    int[][] expected = {
      // frames, T' at the stem, then (h, w) per stage: h = 12, 6, 3, 2; w = ceil halvings of T'
      {100, 9, 12, 9, 6, 5, 3, 3, 2, 2},
      {512, 50, 12, 50, 6, 25, 3, 13, 2, 7},
      {1024, 101, 12, 101, 6, 51, 3, 26, 2, 13},
    };
    try (TensorScope m = TensorScope.newBaseScope()) {
      MultiscaleTransformer model = new MultiscaleTransformer(m, MultiscaleConfig.preset("micro", 512, 5), 0);
      for (int[] e : expected) {
        try (TensorScope step = m.newSubScope()) {
          var x = step.randomNormal(new Shape(2, e[0], 128), 0, 1, 7);
          List<PoolingAttention.Output> stages = model.stageOutputs(x);
          for (int s = 0; s < 4; s++) {
            PoolingAttention.Grid g = stages.get(s).grid();
            assertThat(g).as("%d frames, stage %d", e[0], s).isEqualTo(new PoolingAttention.Grid(e[2 + 2 * s], e[3 + 2 * s]));
            assertThat(stages.get(s).x().getShape())
                .isEqualTo(new Shape(2, (long) g.h() * g.w(), model.config().dims()[s]));
          }
          assertThat(model.forward(x).getShape()).isEqualTo(new Shape(2, 5));
          Encoder.Encoding enc = model.encode(x, -1, true);
          assertThat(enc.pooled().getShape()).isEqualTo(new Shape(2, 128));
          assertThat(enc.timeSteps() * enc.freqBands()).isEqualTo((int) enc.tokens().getShape().get(1));
          assertThat(enc.hopFrames()).isEqualTo(80); // 10-frame stem stride, halved in time three times
        }
      }
    }
  }
}
