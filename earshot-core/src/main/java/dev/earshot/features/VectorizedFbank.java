package dev.earshot.features;

import java.util.Random;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The FFT, power spectrum, mel product and logarithm of {@link KaldiFbank} for L frames at once, one frame
 * per SIMD lane (L = 8 doubles with AVX-512, 4 with AVX2), in double precision like the scalar path.
 *
 * <p>Implementation notes. Each frame is prepared by {@link KaldiFbank#prepareFrame} (dither, DC removal,
 * pre-emphasis, window) and stored as the complex sequence z[q] = x[2q] + i x[2q+1], q &lt; M = P/2, in
 * bit-reversed order, lane l of point q at {@code q * L + l}. A radix-2 decimation-in-time FFT of size M runs
 * on whole lane vectors; the real spectrum follows from X[k] = (Z[k] + Z*[M-k])/2 - i e^(-2 pi i k/P)
 * (Z[k] - Z*[M-k])/2 for k = 0..M. The sparse mel filters are fused multiply-adds of broadcast weights and
 * the log is the vector module's (SVML on x86). Results differ from the scalar path (JTransforms, FastLog)
 * only by double rounding, about 1e-12 on the features.
 *
 * <p>Needs {@code --add-modules jdk.incubator.vector}; only created when {@link VectorSupport} says so.
 * Thread-safe: work arrays are per thread.
 */
final class VectorizedFbank {
  private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;

  private final KaldiFbank fbank;
  private final FbankConfig config;
  private final int lanes;
  private final int paddedSize;
  private final int m; // complex FFT size, P/2
  private final int[] bitReversed;
  private final double[] twiddleRe; // exp(-2 pi i j / M), j < M/2
  private final double[] twiddleIm;
  private final double[] postRe; // exp(-2 pi i k / P), k <= M
  private final double[] postIm;
  private final int bins;
  private final ThreadLocal<Work> work;

  VectorizedFbank(KaldiFbank fbank) {
    this.fbank = fbank;
    this.config = fbank.config();
    this.lanes = SPECIES.length();
    this.paddedSize = config.paddedWindowSize();
    this.m = paddedSize / 2;
    this.bitReversed = new int[m];
    int bits = Integer.numberOfTrailingZeros(m);
    for (int q = 0; q < m; q++) {
      bitReversed[q] = bits == 0 ? 0 : Integer.reverse(q) >>> (32 - bits);
    }
    this.twiddleRe = new double[Math.max(1, m / 2)];
    this.twiddleIm = new double[Math.max(1, m / 2)];
    for (int j = 0; j < m / 2; j++) {
      double a = -2 * Math.PI * j / m;
      twiddleRe[j] = Math.cos(a);
      twiddleIm[j] = Math.sin(a);
    }
    this.postRe = new double[m + 1];
    this.postIm = new double[m + 1];
    for (int k = 0; k <= m; k++) {
      double a = -2 * Math.PI * k / paddedSize;
      postRe[k] = Math.cos(a);
      postIm[k] = Math.sin(a);
    }
    this.bins = fbank.melBanks().numBins();
    this.work = ThreadLocal.withInitial(Work::new);
  }

  /** Per-thread arrays: the lane-interleaved complex buffer, spectrum, one frame, energies. */
  private final class Work {
    final double[] re = new double[m * lanes];
    final double[] im = new double[m * lanes];
    final double[] spectrum = new double[(m + 1) * lanes];
    final double[] frame = new double[paddedSize];
    final double[] logEnergy = new double[lanes];
    final double[] lane = new double[lanes];
  }

  /** Same contract as {@link KaldiFbank#computeRows}. */
  void computeRows(KaldiFbank.FrameReader reader, int count, Random dither, float[][] out, int offset) {
    Work w = work.get();
    int melOffset = config.useEnergy() && !config.htkCompat() ? 1 : 0;
    int energyColumn = config.htkCompat() ? bins : 0;
    for (int f0 = 0; f0 < count; f0 += lanes) {
      int used = Math.min(lanes, count - f0);
      for (int l = 0; l < lanes; l++) {
        double[] frame = w.frame;
        if (l < used) {
          reader.read(f0 + l, frame);
          w.logEnergy[l] = fbank.prepareFrame(frame, dither);
        } else {
          java.util.Arrays.fill(frame, 0.0);
        }
        for (int q = 0; q < m; q++) {
          int at = bitReversed[q] * lanes + l;
          w.re[at] = frame[2 * q];
          w.im[at] = frame[2 * q + 1];
        }
      }
      fft(w.re, w.im);
      spectrum(w);
      melAndLog(w, out, offset + f0, used, melOffset);
      if (config.useEnergy()) {
        for (int l = 0; l < used; l++) {
          out[offset + f0 + l][energyColumn] = (float) w.logEnergy[l];
        }
      }
    }
  }

  /** In-place radix-2 FFT of size M over lane vectors (input already in bit-reversed order). */
  private void fft(double[] re, double[] im) {
    int l = lanes;
    for (int size = 2; size <= m; size <<= 1) {
      int half = size >> 1;
      int step = m / size;
      for (int start = 0; start < m; start += size) {
        for (int k = 0; k < half; k++) {
          double wr = twiddleRe[k * step];
          double wi = twiddleIm[k * step];
          int a = (start + k) * l;
          int b = a + half * l;
          DoubleVector ar = DoubleVector.fromArray(SPECIES, re, a);
          DoubleVector ai = DoubleVector.fromArray(SPECIES, im, a);
          DoubleVector br = DoubleVector.fromArray(SPECIES, re, b);
          DoubleVector bi = DoubleVector.fromArray(SPECIES, im, b);
          DoubleVector tr;
          DoubleVector ti;
          if (k == 0) {
            tr = br;
            ti = bi;
          } else {
            tr = br.mul(wr).sub(bi.mul(wi));
            ti = br.mul(wi).add(bi.mul(wr));
          }
          ar.sub(tr).intoArray(re, b);
          ai.sub(ti).intoArray(im, b);
          ar.add(tr).intoArray(re, a);
          ai.add(ti).intoArray(im, a);
        }
      }
    }
  }

  /** |X[k]|^2 (or |X[k]|) for k = 0..M from the packed transform. */
  private void spectrum(Work w) {
    int l = lanes;
    for (int k = 0; k <= m; k++) {
      int p = (k == m ? 0 : k) * l;
      int q = (k == 0 ? 0 : m - k) * l;
      DoubleVector zr = DoubleVector.fromArray(SPECIES, w.re, p);
      DoubleVector zi = DoubleVector.fromArray(SPECIES, w.im, p);
      DoubleVector cr = DoubleVector.fromArray(SPECIES, w.re, q);
      DoubleVector ci = DoubleVector.fromArray(SPECIES, w.im, q);
      DoubleVector er = zr.add(cr).mul(0.5);
      DoubleVector ei = zi.sub(ci).mul(0.5);
      DoubleVector dr = zr.sub(cr).mul(0.5);
      DoubleVector di = zi.add(ci).mul(0.5);
      double c = postRe[k];
      double s = postIm[k];
      DoubleVector xr = er.add(di.mul(c)).add(dr.mul(s));
      DoubleVector xi = ei.sub(dr.mul(c)).add(di.mul(s));
      DoubleVector power = xr.mul(xr).add(xi.mul(xi));
      if (!config.usePower()) {
        power = power.sqrt();
      }
      power.intoArray(w.spectrum, k * l);
    }
  }

  private void melAndLog(Work w, float[][] out, int row0, int used, int melOffset) {
    MelBanks mel = fbank.melBanks();
    int l = lanes;
    boolean log = config.useLogFbank();
    for (int i = 0; i < bins; i++) {
      double[] weights = mel.weights(i);
      int first = mel.firstBin(i);
      DoubleVector acc = DoubleVector.zero(SPECIES);
      for (int k = 0; k < weights.length; k++) {
        acc = DoubleVector.fromArray(SPECIES, w.spectrum, (first + k) * l).mul(weights[k]).add(acc);
      }
      if (log) {
        acc = acc.max(KaldiFbank.FLOAT_EPSILON).lanewise(VectorOperators.LOG);
      }
      acc.intoArray(w.lane, 0);
      for (int j = 0; j < used; j++) {
        out[row0 + j][melOffset + i] = (float) w.lane[j];
      }
    }
  }
}
