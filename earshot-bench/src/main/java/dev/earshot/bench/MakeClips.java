package dev.earshot.bench;

import dev.earshot.audio.Waveform;
import dev.earshot.audio.WavWriter;
import dev.earshot.audio.synth.EventSynthesizer;
import dev.earshot.audio.synth.SoundEvent;
import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Writes the benchmark clips: 16 kHz PCM16 WAVs of procedural sound events, 1 s, 10 s and 60 s long.
 * Usage: {@code MakeClips OUT_DIR}.
 */
public final class MakeClips {
  private MakeClips() {}

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0]);
    EventSynthesizer synth = new EventSynthesizer(16000);
    SplittableRandom rng = new SplittableRandom(2026);
    for (int seconds : new int[] {1, 10, 60}) {
      float[] clip = new float[seconds * 16000];
      SoundEvent[] kinds = SoundEvent.values();
      for (int start = 0; start < clip.length; start += 16000) {
        Waveform w = synth.clip(kinds[rng.nextInt(kinds.length)], 1.0, rng);
        System.arraycopy(w.samples(), 0, clip, start, Math.min(w.length(), clip.length - start));
      }
      WavWriter.write(dir.resolve("clip_" + seconds + "s.wav"), new Waveform(clip, 16000), WavWriter.Coding.PCM16);
    }
  }
}
