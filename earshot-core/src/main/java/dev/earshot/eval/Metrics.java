package dev.earshot.eval;

import java.util.Arrays;

/**
 * Classification metrics on host arrays: {@code scores[i][c]} (any monotone score: logits or
 * probabilities) and {@code targets[i][c]} (one-/multi-hot).
 *
 * <p>Average precision follows scikit-learn's {@code average_precision_score} (step-wise sum over distinct
 * score thresholds, AP = sum (R_n - R_{n-1}) P_n); AUC is the Mann-Whitney statistic with ties counted half;
 * d' = sqrt(2) * Phi^-1(AUC), as AST reports it. Classes without positives (or without negatives, for AUC)
 * are left out of the means, like the nan-means of the reference code.
 */
public final class Metrics {
  private Metrics() {}

  /** Share of rows whose highest score is at the target's highest entry. */
  public static double accuracy(float[][] scores, float[][] targets) {
    int correct = 0;
    for (int i = 0; i < scores.length; i++) {
      correct += argmax(scores[i]) == argmax(targets[i]) ? 1 : 0;
    }
    return scores.length == 0 ? Double.NaN : (double) correct / scores.length;
  }

  /** Mean over classes of average precision. */
  public static double meanAveragePrecision(float[][] scores, float[][] targets) {
    double sum = 0;
    int n = 0;
    for (int c = 0; c < scores[0].length; c++) {
      double ap = averagePrecision(column(scores, c), column(targets, c));
      if (!Double.isNaN(ap)) {
        sum += ap;
        n++;
      }
    }
    return n == 0 ? Double.NaN : sum / n;
  }

  /** Mean over classes of ROC AUC. */
  public static double meanAuc(float[][] scores, float[][] targets) {
    double sum = 0;
    int n = 0;
    for (int c = 0; c < scores[0].length; c++) {
      double auc = auc(column(scores, c), column(targets, c));
      if (!Double.isNaN(auc)) {
        sum += auc;
        n++;
      }
    }
    return n == 0 ? Double.NaN : sum / n;
  }

  /** d-prime of an AUC: sqrt(2) * inverse normal CDF (AUC). */
  public static double dPrime(double auc) {
    return Math.sqrt(2) * NormalQuantile.of(auc);
  }

  /** Average precision of one class; NaN without positives. */
  static double averagePrecision(double[] score, double[] target) {
    Integer[] order = sortedDescending(score);
    double positives = 0;
    for (double t : target) {
      positives += t > 0.5 ? 1 : 0;
    }
    if (positives == 0) {
      return Double.NaN;
    }
    double ap = 0;
    double tp = 0;
    double fp = 0;
    double lastRecall = 0;
    int i = 0;
    while (i < order.length) {
      double threshold = score[order[i]];
      while (i < order.length && score[order[i]] == threshold) {
        if (target[order[i]] > 0.5) {
          tp++;
        } else {
          fp++;
        }
        i++;
      }
      double recall = tp / positives;
      double precision = tp / (tp + fp);
      ap += (recall - lastRecall) * precision;
      lastRecall = recall;
    }
    return ap;
  }

  /** ROC AUC of one class; NaN without positives or negatives. */
  static double auc(double[] score, double[] target) {
    int n = score.length;
    Integer[] order = sortedDescending(score);
    double[] rank = new double[n];
    // ascending ranks with ties averaged
    int i = 0;
    while (i < n) {
      int j = i;
      while (j + 1 < n && score[order[j + 1]] == score[order[i]]) {
        j++;
      }
      double avg = n - (i + j) / 2.0; // descending order: position 0 has rank n
      for (int k = i; k <= j; k++) {
        rank[order[k]] = avg;
      }
      i = j + 1;
    }
    double pos = 0;
    double rankSum = 0;
    for (int k = 0; k < n; k++) {
      if (target[k] > 0.5) {
        pos++;
        rankSum += rank[k];
      }
    }
    double neg = n - pos;
    if (pos == 0 || neg == 0) {
      return Double.NaN;
    }
    return (rankSum - pos * (pos + 1) / 2) / (pos * neg);
  }

  /** (classes x classes) counts: rows = true class, columns = predicted class. */
  public static int[][] confusion(float[][] scores, float[][] targets) {
    int c = scores[0].length;
    int[][] m = new int[c][c];
    for (int i = 0; i < scores.length; i++) {
      m[argmax(targets[i])][argmax(scores[i])]++;
    }
    return m;
  }

  static int argmax(float[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] > v[best]) {
        best = i;
      }
    }
    return best;
  }

  private static double[] column(float[][] m, int c) {
    double[] out = new double[m.length];
    for (int i = 0; i < m.length; i++) {
      out[i] = m[i][c];
    }
    return out;
  }

  private static Integer[] sortedDescending(double[] score) {
    Integer[] order = new Integer[score.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(score[b], score[a]));
    return order;
  }
}
