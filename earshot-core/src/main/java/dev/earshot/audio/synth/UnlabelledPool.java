package dev.earshot.audio.synth;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;

/**
 * The unlabelled pool: a quarter each of drum patterns (2-8 hits of any drums of one kit in 5 s), instrument
 * phrases (1-4 notes of one program of any family in 2-4 s), spoken words (1-3 words of one speaker in 1-3 s) and
 * sentences (one speaker), all over background noise, with their own random draws (no clip of a task is in it).
 * Written as {@code KIND_NNNNN.wav}.
 */
final class UnlabelledPool {
  private UnlabelledPool() {}

  static int write(Path root, SoundSources sources, BenchmarkSize size, long seed, IntConsumer progress)
      throws IOException {
    int perKind = size.poolClips() / 4;
    int rate = sources.sampleRateHz();
    int written = 0;
    SplittableRandom drums = new SplittableRandom(seed ^ 1);
    List<String> drumNames = new ArrayList<>(DrumKit.DRUMS.keySet());
    for (int i = 0; i < perKind; i++) {
      SplittableRandom r = drums.split();
      Scene scene = new Scene(5.0, rate);
      int kit = DrumKit.randomKit(r);
      int hits = 2 + r.nextInt(7);
      for (int h = 0; h < hits; h++) {
        scene.place(sources.drums().hit(drumNames.get(r.nextInt(drumNames.size())), kit, r),
            (int) (r.nextDouble() * 4.6 * rate), 0.1 * Math.pow(10, (-6 + 6 * r.nextDouble()) / 20));
      }
      SoundSources.addNoise(scene, 0.1, 5 + 20 * r.nextDouble(), r);
      sources.write(file(root, "drums", i), SoundSources.finish(scene, r));
      progress.accept(++written);
    }
    written += phrases(root, sources, perKind, seed ^ 2, progress, written);
    written += speech(root, sources, perKind, seed ^ 3, progress, written);
    return written;
  }

  private static int phrases(Path root, SoundSources sources, int count, long seed, IntConsumer progress, int before)
      throws IOException {
    SplittableRandom rng = new SplittableRandom(seed);
    InstrumentFamily[] families = InstrumentFamily.values();
    List<MidiScore.Note> notes = new ArrayList<>();
    List<Integer> notesPerClip = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      InstrumentFamily family = families[rng.nextInt(families.length)];
      int[] programs = family.allPrograms();
      int[] one = {programs[rng.nextInt(programs.length)]};
      int n = 1 + rng.nextInt(4);
      notesPerClip.add(n);
      for (int k = 0; k < n; k++) {
        notes.add(family.randomNote(one, rng));
      }
    }
    List<float[]> rendered = sources.notes(notes);
    int rate = sources.sampleRateHz();
    int next = 0;
    for (int i = 0; i < count; i++) {
      SplittableRandom r = rng.split();
      Scene scene = new Scene(2 + 2 * r.nextDouble(), rate);
      int n = notesPerClip.get(i);
      for (int k = 0; k < n; k++) {
        int at = (int) ((k + 0.8 * r.nextDouble()) * scene.length() / (n + 1.0));
        scene.place(rendered.get(next++), at, 0.1 * Math.pow(10, (-6 + 6 * r.nextDouble()) / 20));
      }
      SoundSources.addNoise(scene, 0.1, 15 + 25 * r.nextDouble(), r);
      sources.write(file(root, "music", i), SoundSources.finish(scene, r));
      progress.accept(before + i + 1);
    }
    return count;
  }

  private static int speech(Path root, SoundSources sources, int count, long seed, IntConsumer progress, int before)
      throws IOException {
    SplittableRandom rng = new SplittableRandom(seed);
    List<SpeechSynthesizer.Line> lines = new ArrayList<>();
    List<Integer> wordsPerClip = new ArrayList<>();
    for (int i = 0; i < count; i++) { // word clips: 1-3 separately spoken words of one speaker
      SpeechSynthesizer.Voice voice = Utterances.randomVoice(rng);
      int n = 1 + rng.nextInt(3);
      wordsPerClip.add(n);
      for (int k = 0; k < n; k++) {
        lines.add(new SpeechSynthesizer.Line(Utterances.word(rng), voice));
      }
    }
    for (int i = 0; i < count; i++) {
      lines.add(new SpeechSynthesizer.Line(Utterances.sentence(4, 10, rng), Utterances.randomVoice(rng)));
    }
    List<float[]> spoken = sources.speech(lines);
    int rate = sources.sampleRateHz();
    int next = 0;
    for (int i = 0; i < count; i++) {
      SplittableRandom r = rng.split();
      int n = wordsPerClip.get(i);
      Scene scene = new Scene(n, rate);
      for (int k = 0; k < n; k++) {
        float[] word = spoken.get(next++);
        int room = Math.max(0, rate - word.length);
        scene.place(word, k * rate + (room > 0 ? r.nextInt(room + 1) : 0), 0.1);
      }
      SoundSources.addNoise(scene, 0.1, 15 + 20 * r.nextDouble(), r);
      sources.write(file(root, "words", i), SoundSources.finish(scene, r));
      progress.accept(before + i + 1);
    }
    for (int i = 0; i < count; i++) {
      float[] sentence = spoken.get(next++);
      sources.write(file(root, "speech", i), SpeakersTask.clip(sentence, rate, rng.split()));
      progress.accept(before + count + i + 1);
    }
    return 2 * count;
  }

  private static Path file(Path root, String kind, int i) {
    return root.resolve(String.format(Locale.ROOT, "%s_%05d.wav", kind, i));
  }
}
