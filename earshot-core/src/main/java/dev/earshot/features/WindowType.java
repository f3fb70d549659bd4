package dev.earshot.features;

/** Analysis window of a filterbank frame, as in Kaldi and {@code torchaudio.compliance.kaldi}. */
public enum WindowType {
  /** Symmetric Hamming: 0.54 - 0.46 cos(2 pi n / (N - 1)). */
  HAMMING,
  /** Symmetric Hann: 0.5 - 0.5 cos(2 pi n / (N - 1)). Used by AST, SSAST, EAT and ASiT. */
  HANNING,
  /** Kaldi's default: the symmetric Hann window raised to the power 0.85. */
  POVEY,
  /** All ones. */
  RECTANGULAR,
  /** Generalised Blackman: c - 0.5 cos(a n) + (0.5 - c) cos(2 a n), a = 2 pi / (N - 1), c = blackmanCoeff. */
  BLACKMAN;

  /** The window of {@code size} samples, in double precision. */
  public double[] samples(int size, double blackmanCoeff) {
    double[] w = new double[size];
    double a = 2 * Math.PI / (size - 1);
    for (int n = 0; n < size; n++) {
      switch (this) {
        case HAMMING:
          w[n] = 0.54 - 0.46 * Math.cos(a * n);
          break;
        case HANNING:
          w[n] = 0.5 - 0.5 * Math.cos(a * n);
          break;
        case POVEY:
          w[n] = Math.pow(0.5 - 0.5 * Math.cos(a * n), 0.85);
          break;
        case RECTANGULAR:
          w[n] = 1;
          break;
        case BLACKMAN:
          w[n] = blackmanCoeff - 0.5 * Math.cos(a * n) + (0.5 - blackmanCoeff) * Math.cos(2 * a * n);
          break;
        default:
          throw new IllegalStateException();
      }
    }
    return w;
  }
}
