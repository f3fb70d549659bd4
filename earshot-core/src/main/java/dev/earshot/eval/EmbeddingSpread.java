package dev.earshot.eval;

/**
 * How much of its room a set of embeddings uses — the collapse diagnostics of self-supervised learning.
 *
 * <p>Implementation notes. The embeddings (N, D) are centred; the covariance's eigenvalues are found by cyclic
 * Jacobi rotations (double precision; D is at most a few hundred here). The effective rank is
 * exp(H(p)) with p_i = s_i / sum(s), s_i the singular values of the centred matrix (square roots of the
 * covariance's eigenvalues) [1]: D for isotropic embeddings, 1 when all variation lies along one direction. The
 * mean cosine is taken between every pair of (uncentred) embeddings: near 1 when every clip maps to about the
 * same vector. [1] O. Roy, M. Vetterli, "The effective rank: a measure of effective dimensionality", EUSIPCO 2007.
 *
 * @param effectiveRank exp of the entropy of the normalised singular values (1..D)
 * @param meanStd the mean over dimensions of each dimension's standard deviation
 * @param meanCosine the mean cosine similarity between two different embeddings
 */
public record EmbeddingSpread(double effectiveRank, double meanStd, double meanCosine) {
  /** The spread of {@code x} (N, D), N >= 2. */
  public static EmbeddingSpread of(float[][] x) {
    int n = x.length;
    if (n < 2) {
      throw new IllegalArgumentException("the spread of fewer than two embeddings is undefined");
    }
    int d = x[0].length;
    double[] mean = new double[d];
    for (float[] row : x) {
      for (int j = 0; j < d; j++) {
        mean[j] += row[j] / (double) n;
      }
    }
    double[][] cov = new double[d][d];
    for (float[] row : x) {
      for (int i = 0; i < d; i++) {
        double a = row[i] - mean[i];
        for (int j = i; j < d; j++) {
          cov[i][j] += a * (row[j] - mean[j]);
        }
      }
    }
    double stdSum = 0;
    for (int i = 0; i < d; i++) {
      for (int j = i; j < d; j++) {
        cov[i][j] /= n - 1;
        cov[j][i] = cov[i][j];
      }
      stdSum += Math.sqrt(cov[i][i]);
    }
    double[] eigen = eigenvalues(cov);
    double sum = 0;
    for (double e : eigen) {
      sum += Math.sqrt(Math.max(0, e));
    }
    double entropy = 0;
    for (double e : eigen) {
      double p = sum > 0 ? Math.sqrt(Math.max(0, e)) / sum : 0;
      if (p > 0) {
        entropy -= p * Math.log(p);
      }
    }
    double[] norms = new double[n];
    double[] total = new double[d];
    double sumOfUnitSquares = 0;
    for (int k = 0; k < n; k++) {
      double s = 0;
      for (float v : x[k]) {
        s += v * (double) v;
      }
      norms[k] = Math.sqrt(s);
      if (norms[k] > 0) {
        for (int j = 0; j < d; j++) {
          total[j] += x[k][j] / norms[k];
        }
        sumOfUnitSquares += 1;
      }
    }
    double pairSum = -sumOfUnitSquares; // |sum of unit vectors|^2 = n + 2 * sum over pairs of their cosines
    for (double t : total) {
      pairSum += t * t;
    }
    double meanCosine = pairSum / 2 / (n * (n - 1) / 2.0) ;
    return new EmbeddingSpread(sum > 0 ? Math.exp(entropy) : 0, stdSum / d, meanCosine);
  }

  /** The eigenvalues of the symmetric matrix {@code a} (destroyed), by cyclic Jacobi rotations. */
  static double[] eigenvalues(double[][] a) {
    int d = a.length;
    for (int sweep = 0; sweep < 100; sweep++) {
      double off = 0;
      double diag = 0;
      for (int i = 0; i < d; i++) {
        diag += a[i][i] * a[i][i];
        for (int j = i + 1; j < d; j++) {
          off += a[i][j] * a[i][j];
        }
      }
      if (off <= 1e-24 * Math.max(diag, 1e-300)) {
        break;
      }
      for (int p = 0; p < d; p++) {
        for (int q = p + 1; q < d; q++) {
          if (Math.abs(a[p][q]) < 1e-300) {
            continue;
          }
          double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
          double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
          if (theta == 0) {
            t = 1;
          }
          double c = 1 / Math.sqrt(t * t + 1);
          double s = t * c;
          for (int k = 0; k < d; k++) { // columns p, q
            double akp = a[k][p];
            double akq = a[k][q];
            a[k][p] = c * akp - s * akq;
            a[k][q] = s * akp + c * akq;
          }
          for (int k = 0; k < d; k++) { // rows p, q
            double apk = a[p][k];
            double aqk = a[q][k];
            a[p][k] = c * apk - s * aqk;
            a[q][k] = s * apk + c * aqk;
          }
        }
      }
    }
    double[] out = new double[d];
    for (int i = 0; i < d; i++) {
      out[i] = a[i][i];
    }
    return out;
  }
}
