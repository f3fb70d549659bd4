package dev.earshot.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ShallowClassifierTest {

  @Test
  void firstAdamStepMatchesTheHandComputedOne() {
    // x = [1, -1] standardises to z = [1, -1]; zero weights give p = 0.5 for both classes, so the weight
    // gradients are -0.5 (class 0) and +0.5 (class 1), the bias gradients 0. Adam's first step moves each
    // weight by lr * sign(g) = 0.01 and leaves the biases; for z = 1 the logits are then (0.01, -0.01).
    float[][] x = {{1}, {-1}};
    float[][] y = {{1, 0}, {0, 1}};
    ShallowClassifier c = ShallowClassifier.fit(x, y, false, 1, 0);
    float[][] p = c.scores(new float[][] {{1}, {0}});
    double expected = 1 / (1 + Math.exp(-0.02)); // softmax of (0.01, -0.01)
    assertThat((double) p[0][0]).isCloseTo(expected, within(1e-7));
    assertThat((double) p[0][1]).isCloseTo(1 - expected, within(1e-7));
    assertThat((double) p[1][0]).isCloseTo(0.5, within(1e-7)); // z = 0: logits equal biases, still 0
  }

  @Test
  void multiLabelUsesOneSigmoidPerClass() {
    float[][] x = {{1}, {-1}};
    float[][] y = {{1, 1}, {0, 0}}; // both classes present for z = 1: both weights move up by 0.01
    ShallowClassifier c = ShallowClassifier.fit(x, y, true, 1, 0);
    float[][] p = c.scores(new float[][] {{1}});
    double expected = 1 / (1 + Math.exp(-0.01));
    assertThat((double) p[0][0]).isCloseTo(expected, within(1e-7));
    assertThat((double) p[0][1]).isCloseTo(expected, within(1e-7));
  }

  @Test
  void separatesClustersItHasNotSeen() {
    Random r = new Random(3);
    int d = 16;
    float[][] centres = new float[3][d];
    for (float[] c : centres) {
      for (int j = 0; j < d; j++) {
        c[j] = (float) r.nextGaussian() * 3 + 100; // an offset the standardisation must remove
      }
    }
    float[][] trainX = new float[60][];
    float[][] trainY = new float[60][];
    float[][] testX = new float[30][];
    float[][] testY = new float[30][];
    for (int i = 0; i < 90; i++) {
      int k = i % 3;
      float[] v = new float[d];
      for (int j = 0; j < d; j++) {
        v[j] = centres[k][j] + (float) r.nextGaussian();
      }
      float[] t = new float[3];
      t[k] = 1;
      if (i < 60) {
        trainX[i] = v;
        trainY[i] = t;
      } else {
        testX[i - 60] = v;
        testY[i - 60] = t;
      }
    }
    ShallowClassifier c = ShallowClassifier.fit(trainX, trainY, false, 300, 1e-3);
    assertThat(ShallowClassifier.metrics(c.scores(testX), testY, false).get("accuracy")).isEqualTo(1.0);
    float[][] shuffled = trainY.clone(); // labels unrelated to the inputs: no better than chance on new data
    java.util.Collections.shuffle(java.util.Arrays.asList(shuffled), new Random(5));
    ShallowClassifier noise = ShallowClassifier.fit(trainX, shuffled, false, 300, 1e-3);
    assertThat(ShallowClassifier.metrics(noise.scores(testX), testY, false).get("accuracy")).isLessThan(0.7);
  }

  @Test
  void aClipScoreIsTheMeanOfItsTimeSteps() {
    assertThat(ShallowClassifier.meanOf(new float[][] {{0.2f, 0.8f}, {0.6f, 0.4f}})).containsExactly(0.4f, 0.6f);
  }
}
