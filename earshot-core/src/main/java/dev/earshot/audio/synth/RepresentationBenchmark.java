package dev.earshot.audio.synth;

import dev.earshot.EarshotException;
import dev.earshot.io.AtomicFile;
import dev.earshot.io.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * Generates the representation benchmark: four labelled tasks of different kinds in the dataset layouts earshot
 * reads, and an unlabelled pool of the same kinds of sound, from Debian's eSpeak NG, FluidSynth and the FluidR3
 * General MIDI SoundFont plus procedural noise — nothing downloaded, the same files for the same size and seed.
 * <pre>
 *   ROOT/drums/        ESC-50 layout: drum hits anywhere in 5 s clips over noise, 5 folds
 *   ROOT/instruments/  train/FAMILY, test/FAMILY: one note per 2 s clip; test programs held out of training
 *   ROOT/keywords/     Speech Commands layout: ten keywords, 1 s clips, split by speaker
 *   ROOT/speakers/     VoxCeleb1 layout: speaker identity from different sentences
 *   ROOT/pool/         unlabelled: drum patterns, instrument phrases, words, sentences
 *   ROOT/benchmark.json  what was generated (written last: its presence means the tree is complete)
 * </pre>
 *
 * @param size how many clips
 * @param seed the generator's seed
 * @param soundFont the General MIDI SoundFont
 * @param threads eSpeak NG processes at a time
 */
public record RepresentationBenchmark(BenchmarkSize size, long seed, Path soundFont, int threads) {
  /** The manifest's file name. */
  public static final String MANIFEST = "benchmark.json";
  static final String FORMAT = "earshot-representation-benchmark";
  static final int VERSION = 1;
  static final int SAMPLE_RATE = 16000;

  /**
   * One labelled task as the comparison takes it.
   *
   * @param name the task's name in tables
   * @param data FORMAT:PATH relative to the benchmark root
   * @param test a separate test set (FORMAT:PATH) or null
   * @param seconds the clips' length (the longest, where they vary)
   * @param frames the clips' length in filterbank frames, to whole 16-frame patches: the input length of the
   *     task's evaluations, so that every model sees the whole clip
   * @param about what the task is
   */
  public record TaskSpec(String name, String data, String test, double seconds, int frames, String about) {}

  /**
   * What a generated tree holds.
   *
   * @param programs the versions of the programs that made the sounds
   */
  public record Manifest(String format, int version, String size, long seed, String pool, List<TaskSpec> tasks,
      Map<String, String> programs, int clips) {
    /** The same data spec with {@code root} prepended to its path. */
    public static String resolve(Path root, String spec) {
      int colon = spec.indexOf(':');
      return spec.substring(0, colon + 1) + root.resolve(spec.substring(colon + 1));
    }
  }

  /** The four tasks, in table order. */
  public static final List<TaskSpec> TASKS = List.of(
      new TaskSpec("drums", "esc50:drums", null, DrumEventsTask.CLIP_SECONDS, 512,
          "which drum: 1-3 hits anywhere in a 5 s clip over noise (ESC-50 layout, 5 folds)"),
      new TaskSpec("instruments", "folder:instruments/train", "folder:instruments/test",
          InstrumentFamiliesTask.CLIP_SECONDS, 208,
          "instrument family of one note; test instruments are not in training (NSynth-like folders)"),
      new TaskSpec("keywords", "speechcommands:keywords", null, KeywordsTask.CLIP_SECONDS, 96,
          "which of ten spoken words; test speakers are not in training (Speech Commands layout)"),
      new TaskSpec("speakers", "voxceleb1:speakers", null, 5.0, 512,
          "who speaks: different sentences per clip (VoxCeleb1 layout)"));

  /** The full benchmark with Debian's SoundFont. */
  public static RepresentationBenchmark of(BenchmarkSize size, long seed) {
    return new RepresentationBenchmark(size, seed, SoundFontRenderer.DEBIAN_GM_SOUNDFONT, 2);
  }

  /** Clips the tree will hold. */
  public int clipCount() {
    int c = size.classes();
    int keywordSpeakers = size.keywordSpeakers().stream().mapToInt(Integer::intValue).sum();
    return c * size.drumClipsPerClass() + c * (size.instrumentTrainPerFamily() + size.instrumentTestPerFamily())
        + c * keywordSpeakers + 2 * c * size.utterancesPerSpeaker() + 4 * (size.poolClips() / 4);
  }

  /** True when {@code root} holds a complete tree of this size and seed. */
  public boolean isWrittenIn(Path root) {
    Path file = root.resolve(MANIFEST);
    if (!Files.isRegularFile(file)) {
      return false;
    }
    Manifest m = read(root);
    return m.size().equals(size.name()) && m.seed() == seed && m.version() == VERSION;
  }

  /**
   * Writes the tree under {@code root} (files of an earlier, interrupted run are overwritten) and returns its
   * manifest; {@code progress} gets the number of clips written so far.
   */
  public Manifest writeTo(Path root, IntConsumer progress) {
    SoundSources sources = new SoundSources(SAMPLE_RATE, new SoundFontRenderer(soundFont, SAMPLE_RATE), threads);
    sources.requireInstalled();
    try {
      Files.deleteIfExists(root.resolve(MANIFEST));
      int[] done = {0};
      IntConsumer counting = n -> progress.accept(done[0] + n);
      done[0] += DrumEventsTask.write(root.resolve("drums"), sources, size, seed ^ 0x11, counting);
      done[0] += InstrumentFamiliesTask.write(root.resolve("instruments"), sources, size, seed ^ 0x22, counting);
      done[0] += KeywordsTask.write(root.resolve("keywords"), sources, size, seed ^ 0x33, counting);
      done[0] += SpeakersTask.write(root.resolve("speakers"), sources, size, seed ^ 0x44, counting);
      done[0] += UnlabelledPool.write(root.resolve("pool"), sources, size, seed ^ 0x55, counting);
      Map<String, String> programs = new LinkedHashMap<>();
      programs.put("espeak-ng", version(ExternalProgram.ESPEAK_NG, "--version"));
      programs.put("fluidsynth", version(ExternalProgram.FLUIDSYNTH, "--version"));
      programs.put("soundfont", soundFont.getFileName() + " (" + Files.size(soundFont) + " bytes)");
      Manifest m = new Manifest(FORMAT, VERSION, size.name(), seed, "unlabeled:pool", TASKS, programs, done[0]);
      AtomicFile.writeString(root.resolve(MANIFEST), Json.pretty(m));
      return m;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The manifest of a generated tree; a missing or foreign one is an error naming the file. */
  public static Manifest read(Path root) {
    Path file = root.resolve(MANIFEST);
    try {
      Manifest m = Json.read(file, Manifest.class);
      if (m == null || !FORMAT.equals(m.format())) {
        throw new EarshotException(file + ": not a representation benchmark manifest");
      }
      return m;
    } catch (IOException e) {
      throw new EarshotException(file + ": cannot read the benchmark manifest (" + e.getMessage() + ")", e);
    }
  }

  private static String version(ExternalProgram program, String flag) {
    String out = new String(program.run(List.of(flag), Duration.ofSeconds(30)), StandardCharsets.UTF_8).strip();
    String first = out.lines().findFirst().orElse("");
    int data = first.indexOf("Data at"); // eSpeak NG names its data folder after the version
    return (data < 0 ? first : first.substring(0, data)).strip();
  }
}
