package dev.earshot.audio.synth;

import dev.earshot.io.AtomicFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;

/**
 * Events anywhere in multi-second clips, in ESC-50's layout: each 5-second clip holds one to three hits of one
 * drum (one kit per clip), each at a random time, over background noise 5-25 dB below the hits. The class is the
 * drum; folds 1-5 take the clips of every class in turn. Written as {@code audio/F-N-A-T.wav} and
 * {@code meta/esc50.csv}.
 */
final class DrumEventsTask {
  static final double CLIP_SECONDS = 5.0;

  private DrumEventsTask() {}

  static int write(Path root, SoundSources sources, BenchmarkSize size, long seed, IntConsumer progress)
      throws IOException {
    List<String> drums = new ArrayList<>(DrumKit.DRUMS.keySet()).subList(0, size.classes());
    List<String> csv = new ArrayList<>();
    csv.add("filename,fold,target,category,esc10,src_file,take");
    SplittableRandom rng = new SplittableRandom(seed);
    DrumKit kit = sources.drums();
    int written = 0;
    for (int target = 0; target < drums.size(); target++) {
      for (int i = 0; i < size.drumClipsPerClass(); i++) {
        SplittableRandom r = rng.split();
        int fold = 1 + i % 5;
        String name = String.format(Locale.ROOT, "%d-%d%03d-A-%d.wav", fold, target, i, target);
        sources.write(root.resolve("audio").resolve(name), clip(drums.get(target), kit, sources.sampleRateHz(), r));
        csv.add(String.format(Locale.ROOT, "%s,%d,%d,%s,False,%d%03d,A", name, fold, target, drums.get(target),
            target, i));
        progress.accept(++written);
      }
    }
    AtomicFile.writeLines(root.resolve("meta").resolve("esc50.csv"), csv);
    return written;
  }

  private static dev.earshot.audio.Waveform clip(String drum, DrumKit kit, int rate, SplittableRandom r) {
    Scene scene = new Scene(CLIP_SECONDS, rate);
    int kitProgram = DrumKit.randomKit(r);
    int hits = 1 + r.nextInt(3);
    double level = 0.1;
    for (int h = 0; h < hits; h++) {
      float[] hit = kit.hit(drum, kitProgram, r);
      int at = (int) (r.nextDouble() * (CLIP_SECONDS - 0.4) * rate);
      scene.place(hit, at, level * Math.pow(10, (-6 + 6 * r.nextDouble()) / 20));
    }
    SoundSources.addNoise(scene, level, 5 + 20 * r.nextDouble(), r);
    return SoundSources.finish(scene, r);
  }
}
