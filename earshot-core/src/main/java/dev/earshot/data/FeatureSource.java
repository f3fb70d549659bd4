package dev.earshot.data;

import dev.earshot.EarshotException;
import dev.earshot.audio.AudioInputException;
import dev.earshot.audio.Waveform;
import dev.earshot.features.FrontEnd;
import dev.earshot.features.KaldiFbank;
import dev.earshot.features.Mixup;
import dev.earshot.features.PadCrop;
import dev.earshot.io.Npy;
import dev.earshot.io.NpyArray;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.random.RandomGenerator;

/**
 * Turns clips into model inputs with a {@link FrontEnd}, optionally caching the padded log-mel features on
 * disk (keyed by file path, size, modification time and front-end configuration) and applying
 * {@link Augmentation}s in the order the AST family uses: waveform mix-up, filterbank, pad/crop, SpecAugment
 * (before or after normalisation), normalisation, noise + roll. Thread-safe.
 */
public final class FeatureSource {
  private final FrontEnd frontEnd;
  private final KaldiFbank fbank;
  private final Path cacheDir;
  private final String configKey;

  /** @param cacheDir folder for cached features, or null for no cache */
  public FeatureSource(FrontEnd frontEnd, Path cacheDir) {
    this.frontEnd = frontEnd;
    this.fbank = new KaldiFbank(frontEnd.fbank());
    this.cacheDir = cacheDir;
    this.configKey = frontEnd.toString();
  }

  public FrontEnd frontEnd() {
    return frontEnd;
  }

  /** An example: its features (T, F) and its target (mixed when mix-up applied). */
  public record Example(float[][] features, float[] target) {}

  /** Normalised features of a clip without augmentation. */
  public float[][] features(Clip clip) {
    return normalize(padded(clip));
  }

  /**
   * One augmented training example. {@code partner} supplies the mix-up partner (clip, target) when mix-up
   * fires.
   */
  public Example example(Clip clip, float[] target, Augmentation aug, RandomGenerator rng,
      java.util.function.Supplier<java.util.Map.Entry<Clip, float[]>> partner) {
    float[][] raw;
    float[] y = target;
    if (aug.waveformMixup() > 0 && rng.nextDouble() < aug.waveformMixup()) {
      var p = partner.get();
      Waveform a = load(clip);
      Waveform b = load(p.getKey());
      Mixup.MixedWaveform mixed = Mixup.mixWaveforms(a.samples(), b.samples(), rng);
      raw = pad(compute(clip, mixed.samples()));
      if (y != null && y.length > 0) {
        y = Mixup.mixLabels(target, p.getValue(), mixed.lambda());
      }
    } else if (aug.rollMagnitude()) {
      raw = pad(compute(clip, rollMagnitude(load(clip).samples(), rng)));
    } else if (aug.randomCrop()) {
      raw = randomWindow(whole(clip), rng);
    } else {
      raw = copy(padded(clip));
    }
    if (aug.specAugment() != null && aug.specAugmentBeforeNormalization()) {
      aug.specAugment().applyInPlace(raw, rng);
    }
    float[][] x = normalize(raw);
    if (aug.specAugment() != null && !aug.specAugmentBeforeNormalization()) {
      aug.specAugment().applyInPlace(x, rng);
    }
    if (aug.noise()) {
      x = noiseAndRoll(x, rng);
    }
    return new Example(x, y);
  }

  /** EAT's roll-mag: a circular roll by a uniform offset, then a gain of Beta(10, 10) + 0.5. */
  static float[] rollMagnitude(float[] samples, RandomGenerator rng) {
    int n = samples.length;
    int shift = rng.nextInt(n);
    double gain = dev.earshot.features.BetaSampler.sample(10, 10, rng) + 0.5;
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[(i + shift) % n] = (float) (samples[i] * gain);
    }
    return out;
  }

  private Waveform load(Clip clip) {
    try {
      return frontEnd.loader().load(clip.file());
    } catch (AudioInputException e) {
      throw e.file() == null ? e.withFile(clip.file()) : e;
    }
  }

  private float[][] compute(Clip clip, float[] samples) {
    try {
      return fbank.compute(samples);
    } catch (AudioInputException e) {
      throw e.withFile(clip.file());
    }
  }

  /**
   * {@code targetFrames} frames of {@code f} from a uniformly drawn start when it is longer (a copy); else padded.
   * The generator is only drawn from for long clips, so short clips see the same draws as without cropping.
   */
  private float[][] randomWindow(float[][] f, RandomGenerator rng) {
    int target = frontEnd.targetFrames();
    if (target <= 0 || f.length <= target) {
      return copy(pad(f));
    }
    int start = rng.nextInt(f.length - target + 1);
    float[][] out = new float[target][];
    for (int t = 0; t < target; t++) {
      out[t] = f[start + t].clone();
    }
    return out;
  }

  private float[][] pad(float[][] f) {
    return frontEnd.targetFrames() > 0 ? PadCrop.apply(f, frontEnd.targetFrames()) : f;
  }

  /** Padded, unnormalised log-mel features, from the cache when possible. */
  float[][] padded(Clip clip) {
    return cached(clip, false);
  }

  /** The whole clip's unnormalised log-mel features, from the cache when possible. */
  float[][] whole(Clip clip) {
    return cached(clip, true);
  }

  private float[][] cached(Clip clip, boolean whole) {
    Path cached = cacheDir == null ? null : cacheFile(clip, whole);
    if (cached != null && Files.exists(cached)) {
      try {
        return Npy.read(cached).toMatrix();
      } catch (EarshotException e) {
        // a damaged cache entry is recomputed below
      }
    }
    float[][] all = compute(clip, load(clip).samples());
    float[][] f = whole ? all : pad(all);
    if (cached != null) {
      try {
        Npy.write(cached, NpyArray.ofMatrix(f));
      } catch (IOException e) {
        // caching is best effort
      }
    }
    return f;
  }

  private Path cacheFile(Clip clip, boolean whole) {
    try {
      long size = Files.size(clip.file());
      long mtime = Files.getLastModifiedTime(clip.file()).toMillis();
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update((clip.file().toAbsolutePath() + "|" + size + "|" + mtime + "|" + configKey + (whole ? "|whole" : ""))
          .getBytes(StandardCharsets.UTF_8));
      String h = HexFormat.of().formatHex(md.digest()).substring(0, 32);
      return cacheDir.resolve(h.substring(0, 2)).resolve(h + ".npy");
    } catch (IOException e) {
      throw new AudioInputException(clip.file(), AudioInputException.Problem.NOT_FOUND, "cannot stat: " + e.getMessage(), e);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private float[][] normalize(float[][] raw) {
    float[][] x = copy(raw);
    return frontEnd.normalization().applyInPlace(x);
  }

  private static float[][] noiseAndRoll(float[][] x, RandomGenerator rng) {
    double scale = rng.nextDouble() / 10;
    int t = x.length;
    float[][] out = new float[t][];
    int shift = rng.nextInt(20) - 10;
    for (int i = 0; i < t; i++) {
      float[] row = x[i].clone();
      for (int j = 0; j < row.length; j++) {
        row[j] += (float) (rng.nextDouble() * scale);
      }
      out[Math.floorMod(i + shift, t)] = row;
    }
    return out;
  }

  private static float[][] copy(float[][] x) {
    float[][] out = new float[x.length][];
    for (int i = 0; i < x.length; i++) {
      out[i] = x[i].clone();
    }
    return out;
  }
}
