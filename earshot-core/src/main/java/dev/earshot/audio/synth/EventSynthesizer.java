package dev.earshot.audio.synth;

import dev.earshot.audio.Waveform;
import java.util.random.RandomGenerator;

/**
 * Synthesises procedural sound events with controlled random variation: pitch (an octave around each
 * kind's base), duration, attack/release envelope, timbre (overtone weights) and background noise level.
 * Deterministic for a given generator state, so datasets built from a seed are reproducible.
 */
public final class EventSynthesizer {
  private final int sampleRateHz;

  public EventSynthesizer(int sampleRateHz) {
    if (sampleRateHz < 8000) {
      throw new IllegalArgumentException("sampleRateHz must be at least 8000, got " + sampleRateHz);
    }
    this.sampleRateHz = sampleRateHz;
  }

  public int sampleRateHz() {
    return sampleRateHz;
  }

  /**
   * One clip of {@code clipSeconds} holding one event of {@code kind} at a random onset, over background
   * noise at a random level.
   */
  public Waveform clip(SoundEvent kind, double clipSeconds, RandomGenerator rng) {
    int n = (int) Math.round(clipSeconds * sampleRateHz);
    float[] out = new float[n];
    double duration = Math.min(clipSeconds * 0.9, clipSeconds * (0.35 + 0.5 * rng.nextDouble()));
    int length = (int) (duration * sampleRateHz);
    int onset = rng.nextInt(Math.max(1, n - length));
    double[] event = event(kind, length, rng);
    double gain = 0.25 + 0.5 * rng.nextDouble();
    for (int i = 0; i < length && onset + i < n; i++) {
      out[onset + i] += (float) (gain * event[i]);
    }
    double noise = Math.pow(10, -2.5 + 1.3 * rng.nextDouble()); // about -50 to -24 dBFS
    for (int i = 0; i < n; i++) {
      out[i] += (float) (noise * rng.nextGaussian());
    }
    return new Waveform(out, sampleRateHz);
  }

  /** The event alone, {@code length} samples, peak around 1. */
  double[] event(SoundEvent kind, int length, RandomGenerator rng) {
    double pitch = Math.pow(2, rng.nextDouble() - 0.5); // +-half an octave
    double[] x = new double[length];
    double sr = sampleRateHz;
    double phase = 0;
    switch (kind) {
      case TONE -> {
        double f = 600 * pitch;
        for (int i = 0; i < length; i++) {
          x[i] = Math.sin(2 * Math.PI * f * i / sr);
        }
      }
      case HARMONIC -> {
        double f = 220 * pitch;
        double tilt = 0.4 + 0.5 * rng.nextDouble();
        for (int h = 1; h <= 8; h++) {
          double a = Math.pow(tilt, h - 1);
          for (int i = 0; i < length; i++) {
            x[i] += a * Math.sin(2 * Math.PI * f * h * i / sr + h);
          }
        }
      }
      case UPSWEEP, DOWNSWEEP -> {
        double f0 = (kind == SoundEvent.UPSWEEP ? 300 : 3000) * pitch;
        double f1 = (kind == SoundEvent.UPSWEEP ? 3000 : 300) * pitch;
        for (int i = 0; i < length; i++) {
          double f = f0 * Math.pow(f1 / f0, (double) i / length);
          phase += 2 * Math.PI * f / sr;
          x[i] = Math.sin(phase);
        }
      }
      case CLICK_TRAIN -> {
        int period = (int) (sr / (8 * pitch));
        for (int i = 0; i < length; i++) {
          int k = i % period;
          x[i] = k < 30 ? Math.exp(-k / 6.0) * (rng.nextDouble() * 2 - 1) * 2 : 0;
        }
      }
      case NOISE_BURST -> {
        double centre = 2500 * pitch;
        double prev = 0;
        double alpha = Math.exp(-2 * Math.PI * centre / sr);
        for (int i = 0; i < length; i++) {
          double white = rng.nextGaussian();
          prev = alpha * prev + (1 - alpha) * white;
          x[i] = (white - prev) * 0.8; // high-passed noise
        }
      }
      case BEEPS -> {
        double f = 1500 * pitch;
        int period = (int) (sr * (0.08 + 0.06 * rng.nextDouble()));
        for (int i = 0; i < length; i++) {
          x[i] = (i % period) < period / 2 ? Math.sin(2 * Math.PI * f * i / sr) : 0;
        }
      }
      case SIREN -> {
        double f = 900 * pitch;
        double rate = 1.5 + 2 * rng.nextDouble();
        for (int i = 0; i < length; i++) {
          double fi = f * (1 + 0.35 * Math.sin(2 * Math.PI * rate * i / sr));
          phase += 2 * Math.PI * fi / sr;
          x[i] = Math.sin(phase);
        }
      }
      case DRUM -> {
        double f = 90 * pitch;
        double decay = 0.05 + 0.08 * rng.nextDouble();
        for (int i = 0; i < length; i++) {
          double t = i / sr;
          double fi = f * (1 + 2 * Math.exp(-t / 0.01));
          phase += 2 * Math.PI * fi / sr;
          x[i] = Math.exp(-t / decay) * (Math.sin(phase) + 0.3 * rng.nextGaussian() * Math.exp(-t / 0.005));
        }
      }
      case BELL -> {
        double f = 800 * pitch;
        double decay = 0.2 + 0.3 * rng.nextDouble();
        for (int i = 0; i < length; i++) {
          double t = i / sr;
          x[i] = Math.exp(-t / decay)
              * (Math.sin(2 * Math.PI * f * t) + 0.6 * Math.sin(2 * Math.PI * f * 2.76 * t)
                  + 0.3 * Math.sin(2 * Math.PI * f * 5.4 * t));
        }
      }
      case CRACKLE -> {
        for (int i = 0; i < length; i++) {
          x[i] = rng.nextDouble() < 0.01 * pitch ? (rng.nextDouble() * 2 - 1) * 3 : 0.05 * rng.nextGaussian();
        }
      }
      case CHIRP_CALL -> {
        int call = (int) (sr * (0.06 + 0.05 * rng.nextDouble()));
        double f = 4000 * pitch;
        for (int i = 0; i < length; i++) {
          int k = i % (2 * call);
          if (k < call) {
            double fi = f * (1 - 0.5 * k / (double) call);
            phase += 2 * Math.PI * fi / sr;
            x[i] = Math.sin(phase) * Math.sin(Math.PI * k / call);
          }
        }
      }
      default -> throw new IllegalStateException("unhandled " + kind);
    }
    applyEnvelope(x, rng);
    normalisePeak(x);
    return x;
  }

  private void applyEnvelope(double[] x, RandomGenerator rng) {
    int attack = (int) Math.min(x.length / 3, sampleRateHz * (0.002 + 0.05 * rng.nextDouble()));
    int release = (int) Math.min(x.length / 3, sampleRateHz * (0.01 + 0.15 * rng.nextDouble()));
    for (int i = 0; i < attack; i++) {
      x[i] *= (double) i / attack;
    }
    for (int i = 0; i < release; i++) {
      x[x.length - 1 - i] *= (double) i / release;
    }
  }

  private static void normalisePeak(double[] x) {
    double peak = 1e-9;
    for (double v : x) {
      peak = Math.max(peak, Math.abs(v));
    }
    for (int i = 0; i < x.length; i++) {
      x[i] /= peak;
    }
  }
}
