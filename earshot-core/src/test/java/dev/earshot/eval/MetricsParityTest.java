package dev.earshot.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.earshot.testing.Fixtures;
import org.junit.jupiter.api.Test;

/** mAP, AUC, d' and accuracy equal scikit-learn / SciPy on fixtures from tools/fixtures/gen_metrics.py. */
class MetricsParityTest {
  @Test
  void metricsEqualScikitLearn() {
    JsonNode cases = Fixtures.json("/fixtures/metrics.json").get("cases");
    assertThat(cases).hasSize(2);
    for (JsonNode c : cases) {
      float[][] scores = matrix(c.get("scores"));
      float[][] targets = matrix(c.get("targets"));
      for (int k = 0; k < scores[0].length; k++) {
        JsonNode ap = c.get("ap").get(k);
        double[] s = column(scores, k);
        double[] t = column(targets, k);
        if (ap.isNull()) {
          assertThat(Metrics.averagePrecision(s, t)).isNaN();
        } else {
          assertThat(Metrics.averagePrecision(s, t)).as("AP class %d", k).isCloseTo(ap.asDouble(), within(1e-9));
        }
        JsonNode auc = c.get("auc").get(k);
        if (!auc.isNull()) {
          assertThat(Metrics.auc(s, t)).as("AUC class %d", k).isCloseTo(auc.asDouble(), within(1e-9));
        }
      }
      assertThat(Metrics.meanAveragePrecision(scores, targets)).isCloseTo(c.get("mAP").asDouble(), within(1e-9));
      assertThat(Metrics.meanAuc(scores, targets)).isCloseTo(c.get("mAUC").asDouble(), within(1e-9));
      assertThat(Metrics.dPrime(c.get("mAUC").asDouble())).isCloseTo(c.get("d_prime").asDouble(), within(1e-7));
      assertThat(Metrics.accuracy(scores, targets)).isCloseTo(c.get("accuracy").asDouble(), within(1e-12));
    }
  }

  private static float[][] matrix(JsonNode n) {
    float[][] m = new float[n.size()][n.get(0).size()];
    for (int i = 0; i < m.length; i++) {
      for (int j = 0; j < m[0].length; j++) {
        m[i][j] = (float) n.get(i).get(j).asDouble();
      }
    }
    return m;
  }

  private static double[] column(float[][] m, int c) {
    double[] out = new double[m.length];
    for (int i = 0; i < m.length; i++) {
      out[i] = m[i][c];
    }
    return out;
  }
}
