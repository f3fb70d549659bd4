package dev.earshot.audio.synth;

import dev.earshot.audio.Waveform;
import dev.earshot.io.AtomicFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;

/**
 * Spoken keywords in Speech Commands' layout: every speaker (an eSpeak NG accent, variant, pitch and speed) says
 * every keyword once, each in a 1-second clip at a random offset over noise 15-35 dB below. Speakers are split
 * into training, validation and test speakers, as Speech Commands splits by speaker: {@code WORD/SPEAKER_nohash_0.wav},
 * {@code validation_list.txt}, {@code testing_list.txt}.
 */
final class KeywordsTask {
  static final double CLIP_SECONDS = 1.0;

  private KeywordsTask() {}

  static int write(Path root, SoundSources sources, BenchmarkSize size, long seed, IntConsumer progress)
      throws IOException {
    List<String> words = Utterances.KEYWORDS.subList(0, size.classes());
    SplittableRandom rng = new SplittableRandom(seed);
    int speakers = size.keywordSpeakers().stream().mapToInt(Integer::intValue).sum();
    List<SpeechSynthesizer.Line> lines = new ArrayList<>();
    List<String> speakerIds = new ArrayList<>();
    for (int s = 0; s < speakers; s++) {
      SpeechSynthesizer.Voice voice = Utterances.randomVoice(rng);
      speakerIds.add(HexFormat.of().toHexDigits(rng.nextInt()));
      for (String word : words) {
        lines.add(new SpeechSynthesizer.Line(word, voice.shifted(rng.nextInt(7) - 3, rng.nextInt(21) - 10)));
      }
    }
    List<float[]> spoken = sources.speech(lines);
    List<String> validation = new ArrayList<>();
    List<String> testing = new ArrayList<>();
    int trainSpeakers = size.keywordSpeakers().get(0);
    int validationSpeakers = size.keywordSpeakers().get(1);
    int written = 0;
    for (int i = 0; i < lines.size(); i++) {
      int s = i / words.size();
      String rel = words.get(i % words.size()) + "/" + speakerIds.get(s) + "_nohash_0.wav";
      sources.write(root.resolve(rel), clip(spoken.get(i), sources.sampleRateHz(), rng.split()));
      if (s >= trainSpeakers + validationSpeakers) {
        testing.add(rel);
      } else if (s >= trainSpeakers) {
        validation.add(rel);
      }
      progress.accept(++written);
    }
    AtomicFile.writeLines(root.resolve("validation_list.txt"), validation);
    AtomicFile.writeLines(root.resolve("testing_list.txt"), testing);
    return written;
  }

  /** The word at a random offset in a 1-second clip (cut to 1 s when longer), over noise. */
  static Waveform clip(float[] word, int rate, SplittableRandom r) {
    Scene scene = new Scene(CLIP_SECONDS, rate);
    int room = scene.length() - word.length;
    double level = 0.1;
    scene.place(word, room > 0 ? r.nextInt(room + 1) : 0, level);
    SoundSources.addNoise(scene, level, 15 + 20 * r.nextDouble(), r);
    return SoundSources.finish(scene, r);
  }
}
