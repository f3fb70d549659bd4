package dev.earshot.audio.synth;

import dev.earshot.audio.Waveform;
import dev.earshot.audio.WavWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;

/**
 * Writes a procedural sound-event dataset: one class per {@link SoundEvent} kind, clips of one event over
 * background noise with random pitch, duration, onset, envelope, timbre and noise level.
 * <pre>
 *   ROOT/pool/clip_00000.wav ...          unlabelled clips of every class (for pretraining)
 *   ROOT/train/&lt;class&gt;/clip_00000.wav ...   the small labelled training set
 *   ROOT/test/&lt;class&gt;/clip_00000.wav ...    the labelled test set
 * </pre>
 * Deterministic for a seed; 16 kHz, 16-bit PCM.
 *
 * @param poolClips unlabelled clips
 * @param trainPerClass labelled training clips per class
 * @param testPerClass labelled test clips per class
 * @param clipSeconds clip length
 * @param seed generator seed
 */
public record ProceduralDataset(int poolClips, int trainPerClass, int testPerClass, double clipSeconds, long seed) {

  /** Writes the three folders under {@code root} (existing files are overwritten); returns the number of clips. */
  public int writeTo(Path root, IntConsumer progress) throws IOException {
    EventSynthesizer synth = new EventSynthesizer(16000);
    SoundEvent[] kinds = SoundEvent.values();
    int written = 0;
    SplittableRandom pool = new SplittableRandom(seed);
    for (int i = 0; i < poolClips; i++) {
      SoundEvent kind = kinds[pool.nextInt(kinds.length)];
      write(root.resolve("pool").resolve(String.format(Locale.ROOT, "clip_%05d.wav", i)),
          synth.clip(kind, clipSeconds, pool.split()));
      progress.accept(++written);
    }
    for (String split : new String[] {"train", "test"}) {
      int perClass = split.equals("train") ? trainPerClass : testPerClass;
      SplittableRandom rng = new SplittableRandom(seed ^ split.hashCode());
      for (SoundEvent kind : kinds) {
        Path dir = root.resolve(split).resolve(kind.name().toLowerCase(Locale.ROOT));
        for (int i = 0; i < perClass; i++) {
          write(dir.resolve(String.format(Locale.ROOT, "clip_%05d.wav", i)), synth.clip(kind, clipSeconds, rng.split()));
          progress.accept(++written);
        }
      }
    }
    return written;
  }

  private static void write(Path file, Waveform w) throws IOException {
    Files.createDirectories(file.getParent());
    WavWriter.write(file, w, WavWriter.Coding.PCM16);
  }
}
