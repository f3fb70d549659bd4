package dev.earshot.audio.synth;

import dev.earshot.audio.Waveform;
import java.util.random.RandomGenerator;

/**
 * A clip being composed: sounds placed at sample offsets with gains, a background noise bed at a chosen level
 * below the sounds, and a final gain that brings the clip to a peak level. Mono, float samples.
 */
public final class Scene {
  /** Colours of background noise. */
  public enum Noise {
    /** Flat spectrum. */
    WHITE,
    /** -3 dB per octave (Paul Kellet's filter on white noise). */
    PINK,
    /** -6 dB per octave (leaky integrated white noise). */
    BROWN
  }

  private final float[] samples;
  private final int sampleRateHz;

  /** An empty scene of {@code seconds} at {@code sampleRateHz}. */
  public Scene(double seconds, int sampleRateHz) {
    this.samples = new float[(int) Math.round(seconds * sampleRateHz)];
    this.sampleRateHz = sampleRateHz;
  }

  /** Length in samples. */
  public int length() {
    return samples.length;
  }

  public int sampleRateHz() {
    return sampleRateHz;
  }

  /**
   * Adds {@code sound}, scaled to an RMS of {@code rms} over its non-silent part, starting at {@code startSample}
   * (the part past the end of the scene is dropped).
   */
  public Scene place(float[] sound, int startSample, double rms) {
    double level = activeRms(sound);
    double gain = level > 0 ? rms / level : 0;
    for (int i = 0; i < sound.length; i++) {
      int at = startSample + i;
      if (at >= 0 && at < samples.length) {
        samples[at] += (float) (sound[i] * gain);
      }
    }
    return this;
  }

  /** Adds noise of {@code colour} at an RMS of {@code rms} over the whole scene. */
  public Scene addNoise(Noise colour, double rms, RandomGenerator rng) {
    float[] n = noise(colour, samples.length, rng);
    double level = rms(n);
    for (int i = 0; i < samples.length; i++) {
      samples[i] += (float) (n[i] * rms / Math.max(level, 1e-12));
    }
    return this;
  }

  /** The scene scaled so that its peak is {@code peak} (a silent scene stays silent). */
  public Waveform toWaveform(double peak) {
    float max = 0;
    for (float v : samples) {
      max = Math.max(max, Math.abs(v));
    }
    float[] out = samples.clone();
    if (max > 0) {
      float g = (float) (peak / max);
      for (int i = 0; i < out.length; i++) {
        out[i] *= g;
      }
    }
    return new Waveform(out, sampleRateHz);
  }

  /** Root mean square of the sound's active part: 10 ms frames more than 40 dB below the loudest are left out. */
  static double activeRms(float[] sound) {
    int frame = 160;
    double loudest = 0;
    int frames = Math.max(1, sound.length / frame);
    double[] energy = new double[frames];
    for (int f = 0; f < frames; f++) {
      double e = 0;
      for (int i = f * frame; i < Math.min(sound.length, (f + 1) * frame); i++) {
        e += sound[i] * (double) sound[i];
      }
      energy[f] = e / frame;
      loudest = Math.max(loudest, energy[f]);
    }
    double sum = 0;
    int n = 0;
    for (double e : energy) {
      if (e >= loudest * 1e-4) {
        sum += e;
        n++;
      }
    }
    return n == 0 ? 0 : Math.sqrt(sum / n);
  }

  static double rms(float[] x) {
    double s = 0;
    for (float v : x) {
      s += v * (double) v;
    }
    return x.length == 0 ? 0 : Math.sqrt(s / x.length);
  }

  /** {@code n} samples of noise of {@code colour}, unscaled. */
  static float[] noise(Noise colour, int n, RandomGenerator rng) {
    float[] out = new float[n];
    double b0 = 0, b1 = 0, b2 = 0, b3 = 0, b4 = 0, b5 = 0, b6 = 0;
    double brown = 0;
    for (int i = 0; i < n; i++) {
      double w = rng.nextGaussian();
      out[i] = (float) switch (colour) {
        case WHITE -> w;
        case PINK -> {
          b0 = 0.99886 * b0 + w * 0.0555179;
          b1 = 0.99332 * b1 + w * 0.0750759;
          b2 = 0.96900 * b2 + w * 0.1538520;
          b3 = 0.86650 * b3 + w * 0.3104856;
          b4 = 0.55000 * b4 + w * 0.5329522;
          b5 = -0.7616 * b5 - w * 0.0168980;
          double pink = b0 + b1 + b2 + b3 + b4 + b5 + b6 + w * 0.5362;
          b6 = w * 0.115926;
          yield pink;
        }
        case BROWN -> {
          brown = 0.995 * brown + w * 0.1;
          yield brown;
        }
      };
    }
    return out;
  }
}
