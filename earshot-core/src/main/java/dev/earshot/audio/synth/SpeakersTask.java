package dev.earshot.audio.synth;

import dev.earshot.audio.Waveform;
import dev.earshot.io.AtomicFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;

/**
 * Speaker identity in VoxCeleb1's layout: each speaker is an eSpeak NG voice of its own variant, with an accent,
 * pitch and speed, saying different random sentences (no sentence twice in the task), each utterance a little
 * higher or lower and faster or slower, over noise 15-35 dB below. Per speaker 70% of the utterances are for
 * training, 10% for validation, 20% for testing: {@code wav/idN/SESSION/00001.wav} and {@code iden_split.txt}.
 */
final class SpeakersTask {
  private SpeakersTask() {}

  static int write(Path root, SoundSources sources, BenchmarkSize size, long seed, IntConsumer progress)
      throws IOException {
    SplittableRandom rng = new SplittableRandom(seed);
    int speakers = 2 * size.classes();
    List<String> variants = new ArrayList<>(SpeechSynthesizer.VARIANTS);
    for (int i = variants.size() - 1; i > 0; i--) { // a distinct variant per speaker
      java.util.Collections.swap(variants, i, rng.nextInt(i + 1));
    }
    Set<String> said = new HashSet<>();
    List<SpeechSynthesizer.Line> lines = new ArrayList<>();
    for (int s = 0; s < speakers; s++) {
      SpeechSynthesizer.Voice voice = new SpeechSynthesizer.Voice(
          SpeechSynthesizer.ACCENTS.get(rng.nextInt(SpeechSynthesizer.ACCENTS.size())), variants.get(s),
          20 + rng.nextInt(61), 130 + rng.nextInt(61));
      for (int u = 0; u < size.utterancesPerSpeaker(); u++) {
        String sentence;
        do {
          sentence = Utterances.sentence(5, 9, rng);
        } while (!said.add(sentence));
        lines.add(new SpeechSynthesizer.Line(sentence, voice.shifted(rng.nextInt(9) - 4, rng.nextInt(31) - 15)));
      }
    }
    List<float[]> spoken = sources.speech(lines);
    List<String> split = new ArrayList<>();
    int n = size.utterancesPerSpeaker();
    int written = 0;
    for (int i = 0; i < lines.size(); i++) {
      int s = i / n;
      int u = i % n;
      String rel = String.format(Locale.ROOT, "id1%04d/session%d/%05d.wav", s, u % 4, u + 1);
      sources.write(root.resolve("wav").resolve(rel), clip(spoken.get(i), sources.sampleRateHz(), rng.split()));
      int group = u < Math.round(0.7 * n) ? 1 : u < Math.round(0.8 * n) ? 2 : 3;
      split.add(group + " " + rel);
      progress.accept(++written);
    }
    AtomicFile.writeLines(root.resolve("iden_split.txt"), split);
    return written;
  }

  /** The utterance after 0.1-0.4 s of noise, followed by 0.2 s; at most 5 s in all (a longer utterance is cut). */
  static Waveform clip(float[] speech, int rate, SplittableRandom r) {
    double lead = 0.1 + 0.3 * r.nextDouble();
    double seconds = Math.min(lead + speech.length / (double) rate + 0.2, 5.0);
    Scene scene = new Scene(seconds, rate);
    double level = 0.1;
    scene.place(speech, (int) (lead * rate), level);
    SoundSources.addNoise(scene, level, 15 + 20 * r.nextDouble(), r);
    return SoundSources.finish(scene, r);
  }
}
