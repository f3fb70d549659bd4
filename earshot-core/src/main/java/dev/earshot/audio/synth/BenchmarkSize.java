package dev.earshot.audio.synth;

import dev.earshot.ConfigException;
import java.util.List;

/**
 * How large the generated representation benchmark is.
 *
 * @param name {@code full} or {@code tiny}
 * @param classes classes per task (drums, instrument families, keywords, speakers), at most ten; speakers get
 *     twice as many
 * @param drumClipsPerClass clips per drum (a multiple of 5: ESC-50's five folds)
 * @param instrumentTrainPerFamily training notes per instrument family
 * @param instrumentTestPerFamily test notes per family (from the held-out programs)
 * @param keywordSpeakers speakers of the keyword task: training, validation and test (each says every keyword)
 * @param utterancesPerSpeaker sentences per speaker of the speaker task (70% train, 10% validation, 20% test)
 * @param poolClips unlabelled clips (a quarter of each kind of sound)
 */
public record BenchmarkSize(String name, int classes, int drumClipsPerClass, int instrumentTrainPerFamily,
    int instrumentTestPerFamily, List<Integer> keywordSpeakers, int utterancesPerSpeaker, int poolClips) {
  /** The benchmark as documented: about 2,000 labelled clips and 3,000 unlabelled ones. */
  public static final BenchmarkSize FULL = new BenchmarkSize("full", 10, 40, 40, 15, List.of(40, 5, 15), 20, 3000);
  /** A few clips of each kind, for tests. */
  public static final BenchmarkSize TINY = new BenchmarkSize("tiny", 3, 5, 3, 2, List.of(2, 1, 1), 10, 12);

  public BenchmarkSize {
    keywordSpeakers = List.copyOf(keywordSpeakers);
    if (classes < 2 || classes > 10 || drumClipsPerClass < 5 || drumClipsPerClass % 5 != 0
        || instrumentTrainPerFamily < 1 || instrumentTestPerFamily < 1 || keywordSpeakers.size() != 3
        || keywordSpeakers.stream().anyMatch(n -> n < 1) || utterancesPerSpeaker < 10 || poolClips < 4) {
      throw new ConfigException("benchmark size '" + name + "' is out of range: " + this);
    }
  }

  /** The size called {@code name}. */
  public static BenchmarkSize parse(String name) {
    return switch (name) {
      case "full" -> FULL;
      case "tiny" -> TINY;
      default -> throw new ConfigException("--size: full or tiny, got '" + name + "'");
    };
  }
}
