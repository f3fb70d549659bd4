package dev.earshot.features;

/**
 * Kaldi's triangular mel filterbank, as built by {@code torchaudio.compliance.kaldi.get_mel_banks}, stored
 * sparsely (each filter as its first FFT bin and its run of non-zero weights).
 *
 * <p>Implementation notes. mel(f) = 1127 ln(1 + f/700). With mL = mel(low), mH = mel(high) and
 * d = (mH - mL)/(bins + 1), filter i spans left = mL + i d, centre = mL + (i+1) d, right = mL + (i+2) d,
 * optionally VTLN-warped. FFT bin k (0 &le; k &lt; P/2, frequency k * rate / P) has mel value m_k and weight
 * max(0, min((m_k - left)/(centre - left), (right - m_k)/(right - centre))); with a warp factor other than
 * 1, the up slope applies on (left, centre] and the down slope on (centre, right). The Nyquist bin P/2
 * always has weight 0. The weights are evaluated in float32 arithmetic like torchaudio's (see the
 * constructor) and applied in double.
 */
public final class MelBanks {
  private final int numFftBins; // P/2 + 1 (including the always-zero Nyquist column)
  private final int[] firstBin; // per filter
  private final double[][] weights; // per filter, the non-zero run starting at firstBin
  private final double[] centerFrequenciesHz;

  /**
   * Builds the filters of {@code config} for its padded window size.
   *
   * @param config filterbank options (rate, bins, cut-offs, VTLN)
   */
  public MelBanks(FbankConfig config) {
    int numBins = config.numMelBins();
    int padded = config.paddedWindowSize();
    double rate = config.sampleFrequencyHz();
    double nyquist = 0.5 * rate;
    double low = config.lowFreqHz();
    double high = config.highFreqHz() <= 0 ? config.highFreqHz() + nyquist : config.highFreqHz();
    double vtlnLow = config.vtlnLowHz();
    double vtlnHigh = config.vtlnHighHz() < 0 ? config.vtlnHighHz() + nyquist : config.vtlnHighHz();
    double warp = config.vtlnWarp();

    int half = padded / 2;
    this.numFftBins = half + 1;
    // torchaudio evaluates the filters in float32 whatever the waveform's dtype (its index tensors are
    // created with the default dtype), so this follows its operation order in float arithmetic. The
    // difference matters at triangle edges: a float32 mel value is only good to ~1e-4 mel, which moves
    // small edge weights by ~5e-6 and the log energy of a band dominated by such an edge by up to 1e-3.
    float binWidth = (float) (rate / padded);
    double melLow = mel(low);
    double melHigh = mel(high);
    float delta = (float) ((melHigh - melLow) / (numBins + 1));
    float melLowF = (float) melLow;
    float[] fftMel = new float[half];
    for (int k = 0; k < half; k++) {
      fftMel[k] = melFloat(binWidth * k);
    }
    this.firstBin = new int[numBins];
    this.weights = new double[numBins][];
    this.centerFrequenciesHz = new double[numBins];
    double[] dense = new double[half];
    for (int i = 0; i < numBins; i++) {
      float left = melLowF + i * delta;
      float center = melLowF + (i + 1.0f) * delta;
      float right = melLowF + (i + 2.0f) * delta;
      if (warp != 1.0) {
        left = warpMel(vtlnLow, vtlnHigh, low, high, warp, left);
        center = warpMel(vtlnLow, vtlnHigh, low, high, warp, center);
        right = warpMel(vtlnLow, vtlnHigh, low, high, warp, right);
      }
      centerFrequenciesHz[i] = inverseMel(center);
      int first = -1;
      int last = -1;
      for (int k = 0; k < half; k++) {
        float m = fftMel[k];
        float up = (m - left) / (center - left);
        float down = (right - m) / (right - center);
        float w;
        if (warp == 1.0) {
          w = Math.max(0f, Math.min(up, down));
        } else if (m > left && m <= center) {
          w = up;
        } else if (m > center && m < right) {
          w = down;
        } else {
          w = 0;
        }
        dense[k] = w;
        if (w != 0) {
          if (first < 0) {
            first = k;
          }
          last = k;
        }
      }
      if (first < 0) {
        firstBin[i] = 0;
        weights[i] = new double[0];
      } else {
        firstBin[i] = first;
        weights[i] = java.util.Arrays.copyOfRange(dense, first, last + 1);
      }
    }
  }

  /** {@link #mel(double)} in float32 arithmetic, as torch evaluates it on a float tensor. */
  static float melFloat(float hz) {
    return 1127.0f * (float) Math.log(1.0f + hz / 700.0f);
  }

  /** {@link #inverseMel(double)} in float32 arithmetic. */
  static float inverseMelFloat(float mel) {
    return 700.0f * ((float) Math.exp(mel / 1127.0f) - 1.0f);
  }

  /** Kaldi's mel scale: 1127 ln(1 + f / 700). */
  public static double mel(double hz) {
    return 1127.0 * Math.log(1.0 + hz / 700.0);
  }

  /** Inverse of {@link #mel(double)}. */
  public static double inverseMel(double mel) {
    return 700.0 * (Math.exp(mel / 1127.0) - 1.0);
  }

  /**
   * Kaldi's piecewise-linear VTLN frequency warp (never produces empty bins), in float32 arithmetic with the
   * breakpoints computed in double, as torchaudio does.
   */
  static float warpFrequency(
      double vtlnLowCutoff, double vtlnHighCutoff, double lowFreq, double highFreq, double warp, float freq) {
    double l = vtlnLowCutoff * Math.max(1.0, warp);
    double h = vtlnHighCutoff * Math.min(1.0, warp);
    double scale = 1.0 / warp;
    double fl = scale * l;
    double fh = scale * h;
    double scaleLeft = (fl - lowFreq) / (l - lowFreq);
    double scaleRight = (highFreq - fh) / (highFreq - h);
    if (freq < lowFreq || freq > highFreq) {
      return freq;
    }
    if (freq < l) {
      return (float) lowFreq + (float) scaleLeft * (freq - (float) lowFreq);
    }
    if (freq < h) {
      return (float) scale * freq;
    }
    return (float) highFreq + (float) scaleRight * (freq - (float) highFreq);
  }

  private static float warpMel(
      double vtlnLow, double vtlnHigh, double low, double high, double warp, float melFreq) {
    return melFloat(warpFrequency(vtlnLow, vtlnHigh, low, high, warp, inverseMelFloat(melFreq)));
  }

  public int numBins() {
    return weights.length;
  }

  /** Columns of the spectrum the filters read: P/2 + 1. */
  public int numFftBins() {
    return numFftBins;
  }

  /** Centre frequency of each filter, Hz. */
  public double[] centerFrequenciesHz() {
    return centerFrequenciesHz.clone();
  }

  /** Dense weight matrix (numBins, P/2 + 1), for inspection and tests. */
  public double[][] dense() {
    double[][] out = new double[weights.length][numFftBins];
    for (int i = 0; i < weights.length; i++) {
      System.arraycopy(weights[i], 0, out[i], firstBin[i], weights[i].length);
    }
    return out;
  }

  /** First FFT bin of filter {@code i}'s non-zero weights. */
  int firstBin(int i) {
    return firstBin[i];
  }

  /** The non-zero weights of filter {@code i}, from {@link #firstBin(int)} on (shared: do not modify). */
  double[] weights(int i) {
    return weights[i];
  }

  /** Filter energies: {@code out[i] = sum_k w[i][k] * spectrum[k]} for every filter. */
  void apply(double[] spectrum, double[] out) {
    for (int i = 0; i < weights.length; i++) {
      double[] w = weights[i];
      int offset = firstBin[i];
      double acc = 0;
      for (int k = 0; k < w.length; k++) {
        acc += w[k] * spectrum[offset + k];
      }
      out[i] = acc;
    }
  }
}
