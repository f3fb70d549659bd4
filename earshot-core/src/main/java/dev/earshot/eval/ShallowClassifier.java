package dev.earshot.eval;

import java.util.Map;

/**
 * The shallow classifier of a frozen-embedding evaluation in the style of the HEAR benchmark: embeddings are
 * standardised with the training set's per-dimension mean and deviation, then a linear layer is fitted by
 * full-batch gradient descent with Adam (lr 0.01) and L2 weight {@code l2} — softmax cross-entropy for
 * single-label tasks, one sigmoid per class for multi-label ones. Deterministic (zero initialisation, no
 * sampling).
 */
public final class ShallowClassifier {
  private final double[] mean;
  private final double[] scale;
  private final double[][] weight; // (classes, d)
  private final double[] bias;
  private final boolean multiLabel;

  private ShallowClassifier(double[] mean, double[] scale, double[][] weight, double[] bias, boolean multiLabel) {
    this.mean = mean;
    this.scale = scale;
    this.weight = weight;
    this.bias = bias;
    this.multiLabel = multiLabel;
  }

  /**
   * @param x (n, d) training embeddings
   * @param y (n, classes) one-hot or multi-hot targets
   */
  public static ShallowClassifier fit(float[][] x, float[][] y, boolean multiLabel, int epochs, double l2) {
    int n = x.length;
    int d = x[0].length;
    int c = y[0].length;
    double[] mean = new double[d];
    double[] scale = new double[d];
    for (float[] row : x) {
      for (int j = 0; j < d; j++) {
        mean[j] += row[j] / (double) n;
      }
    }
    for (float[] row : x) {
      for (int j = 0; j < d; j++) {
        scale[j] += (row[j] - mean[j]) * (row[j] - mean[j]) / n;
      }
    }
    for (int j = 0; j < d; j++) {
      scale[j] = 1 / Math.sqrt(scale[j] + 1e-8);
    }
    double[][] z = new double[n][d];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        z[i][j] = (x[i][j] - mean[j]) * scale[j];
      }
    }
    double[][] w = new double[c][d];
    double[] b = new double[c];
    double[][] mw = new double[c][d];
    double[][] vw = new double[c][d];
    double[] mb = new double[c];
    double[] vb = new double[c];
    double lr = 0.01;
    for (int t = 1; t <= epochs; t++) {
      double[][] gw = new double[c][d];
      double[] gb = new double[c];
      for (int i = 0; i < n; i++) {
        double[] p = probabilities(z[i], w, b, multiLabel);
        for (int k = 0; k < c; k++) {
          double err = (p[k] - y[i][k]) / n;
          gb[k] += err;
          for (int j = 0; j < d; j++) {
            gw[k][j] += err * z[i][j];
          }
        }
      }
      double c1 = 1 - Math.pow(0.9, t);
      double c2 = 1 - Math.pow(0.999, t);
      for (int k = 0; k < c; k++) {
        for (int j = 0; j < d; j++) {
          double g = gw[k][j] + l2 * w[k][j];
          mw[k][j] = 0.9 * mw[k][j] + 0.1 * g;
          vw[k][j] = 0.999 * vw[k][j] + 0.001 * g * g;
          w[k][j] -= lr * (mw[k][j] / c1) / (Math.sqrt(vw[k][j] / c2) + 1e-8);
        }
        mb[k] = 0.9 * mb[k] + 0.1 * gb[k];
        vb[k] = 0.999 * vb[k] + 0.001 * gb[k] * gb[k];
        b[k] -= lr * (mb[k] / c1) / (Math.sqrt(vb[k] / c2) + 1e-8);
      }
    }
    return new ShallowClassifier(mean, scale, w, b, multiLabel);
  }

  private static double[] probabilities(double[] z, double[][] w, double[] b, boolean multiLabel) {
    int c = b.length;
    double[] logits = new double[c];
    double max = Double.NEGATIVE_INFINITY;
    for (int k = 0; k < c; k++) {
      double s = b[k];
      for (int j = 0; j < z.length; j++) {
        s += w[k][j] * z[j];
      }
      logits[k] = s;
      max = Math.max(max, s);
    }
    if (multiLabel) {
      for (int k = 0; k < c; k++) {
        logits[k] = 1 / (1 + Math.exp(-logits[k]));
      }
      return logits;
    }
    double sum = 0;
    for (int k = 0; k < c; k++) {
      logits[k] = Math.exp(logits[k] - max);
      sum += logits[k];
    }
    for (int k = 0; k < c; k++) {
      logits[k] /= sum;
    }
    return logits;
  }

  /** (n, classes) scores (probabilities) of embeddings. */
  public float[][] scores(float[][] x) {
    float[][] out = new float[x.length][];
    double[] z = new double[mean.length];
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < z.length; j++) {
        z[j] = (x[i][j] - mean[j]) * scale[j];
      }
      double[] p = probabilities(z, weight, bias, multiLabel);
      out[i] = new float[p.length];
      for (int k = 0; k < p.length; k++) {
        out[i][k] = (float) p[k];
      }
    }
    return out;
  }

  /** The mean of score rows (n, classes) -> (classes): one clip's score from its time steps' scores. */
  public static float[] meanOf(float[][] rows) {
    float[] mean = new float[rows[0].length];
    for (float[] r : rows) {
      for (int k = 0; k < mean.length; k++) {
        mean[k] += r[k] / rows.length;
      }
    }
    return mean;
  }

  /** accuracy (single-label) or mAP (multi-label) of {@code scores} against {@code targets}. */
  public static Map<String, Double> metrics(float[][] scores, float[][] targets, boolean multiLabel) {
    return multiLabel ? Map.of("mAP", Metrics.meanAveragePrecision(scores, targets))
        : Map.of("accuracy", Metrics.accuracy(scores, targets));
  }
}
