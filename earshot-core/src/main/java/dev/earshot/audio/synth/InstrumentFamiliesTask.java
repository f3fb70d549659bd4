package dev.earshot.audio.synth;

import dev.earshot.audio.Waveform;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;

/**
 * Pitched instruments, NSynth-like: one note per 2-second clip (onset in the first 0.4 s, 0.4-1.2 s held, then
 * released), a random key of the family's range and velocity, over noise 20-40 dB below. Classes are instrument
 * families; the test clips come from programs held out of training ({@link InstrumentFamily#testPrograms}).
 * Written as {@code train/FAMILY/*.wav} and {@code test/FAMILY/*.wav} (the folder layout, one holdout test set).
 */
final class InstrumentFamiliesTask {
  static final double CLIP_SECONDS = 2.0;

  private InstrumentFamiliesTask() {}

  static int write(Path root, SoundSources sources, BenchmarkSize size, long seed, IntConsumer progress)
      throws IOException {
    List<InstrumentFamily> families = Arrays.asList(InstrumentFamily.values()).subList(0, size.classes());
    int written = 0;
    for (String split : List.of("train", "test")) {
      SplittableRandom rng = new SplittableRandom(seed ^ split.hashCode());
      int perFamily = split.equals("train") ? size.instrumentTrainPerFamily() : size.instrumentTestPerFamily();
      List<MidiScore.Note> notes = new ArrayList<>();
      List<SplittableRandom> clipRngs = new ArrayList<>();
      for (InstrumentFamily family : families) {
        int[] programs = split.equals("train") ? family.trainPrograms() : family.testPrograms();
        for (int i = 0; i < perFamily; i++) {
          SplittableRandom r = rng.split();
          notes.add(family.randomNote(programs, r));
          clipRngs.add(r);
        }
      }
      List<float[]> rendered = sources.notes(notes);
      for (int i = 0; i < notes.size(); i++) {
        InstrumentFamily family = families.get(i / perFamily);
        MidiScore.Note n = notes.get(i);
        String name = String.format(Locale.ROOT, "%s_%03d-%03d-%03d_%04d.wav", family.label(), n.program(), n.key(),
            n.velocity(), i % perFamily);
        sources.write(root.resolve(split).resolve(family.label()).resolve(name),
            clip(rendered.get(i), sources.sampleRateHz(), clipRngs.get(i)));
        progress.accept(++written);
      }
    }
    return written;
  }

  static Waveform clip(float[] note, int rate, SplittableRandom r) {
    Scene scene = new Scene(CLIP_SECONDS, rate);
    double level = 0.1;
    scene.place(note, (int) (r.nextDouble() * 0.4 * rate), level);
    SoundSources.addNoise(scene, level, 20 + 20 * r.nextDouble(), r);
    return SoundSources.finish(scene, r);
  }
}
