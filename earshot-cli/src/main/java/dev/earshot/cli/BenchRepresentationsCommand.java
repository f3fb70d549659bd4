package dev.earshot.cli;

import dev.earshot.audio.synth.BenchmarkSize;
import dev.earshot.audio.synth.RepresentationBenchmark;
import dev.earshot.compare.Bars;
import dev.earshot.compare.Comparison;
import dev.earshot.compare.Entry;
import dev.earshot.compare.Evaluation;
import dev.earshot.compare.Plan;
import dev.earshot.compare.RecipeScale;
import dev.earshot.compare.Report;
import dev.earshot.compare.ReportFiles;
import dev.earshot.compare.Task;
import dev.earshot.io.AtomicFile;
import dev.earshot.recipe.PretrainingMethods;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code earshot bench-representations}: the representation benchmark, generated from Debian's speech and
 * SoundFont synthesisers, then every method's one-hour recipe against scratch and the log-mel baseline.
 */
@Command(
    name = "bench-representations",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Do the self-supervised representations hold up on real audio? Generates the representation benchmark",
      "(once; needs the Debian packages espeak-ng, fluidsynth and fluid-soundfont-gm, nothing is downloaded):",
      "  drums        which drum: 1-3 hits anywhere in 5 s clips over noise (ESC-50 layout, 5 folds)",
      "  instruments  instrument family of a note, test instruments held out (NSynth-like folders)",
      "  keywords     ten spoken words, test speakers held out (Speech Commands layout)",
      "  speakers     speaker identity from different sentences (VoxCeleb1 layout)",
      "  pool         3,000 unlabelled clips of the same kinds of sound",
      "then runs 'earshot compare' on it: each method pretrained on the pool with its one-hour recipe",
      "(METHOD-cpu-hour), each architecture from scratch, and the log-mel-statistics baseline, scored with",
      "frozen whole-clip embeddings and fine-tuned, each task at its clip length. Prints the table and the bars",
      "(every method beats its scratch model on every task; the best method beats log-mel statistics), and",
      "writes them to OUT/compare (results.md, results.json, bars.md, plots). About 5 hours on 2 CPU cores with",
      "the defaults; rerunning resumes. --budget-minutes/--budget-steps shorten every pretraining.",
      "",
      "Example: ./earshot bench-representations --generate-only      # the data alone (about 3 minutes)"
    })
final class BenchRepresentationsCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = {"-o", "--out"}, paramLabel = "DIR", defaultValue = "earshot-representations",
      description = "Where the data (OUT/data) and the comparison (OUT/compare) go (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--data", paramLabel = "DIR",
      description = "The benchmark's folder (default: OUT/data); generated there unless it is complete.")
  Path data;

  @Option(names = "--generate-only", description = "Only generate the benchmark's audio and stop.")
  boolean generateOnly;

  @Option(names = "--size", paramLabel = "SIZE", defaultValue = "full",
      description = {"full (about 2,000 labelled and 3,000 unlabelled clips) or tiny (a few of each, for",
          "tests) (default: ${DEFAULT-VALUE})."})
  String size;

  @Option(names = "--data-seed", paramLabel = "S", defaultValue = "18",
      description = "Seed of the generated audio (default: ${DEFAULT-VALUE}).")
  long dataSeed;

  @Option(names = "--methods", paramLabel = "LIST", split = ",",
      completionCandidates = CompareCommand.Contenders.class,
      description = "Rows, in table order: ${COMPLETION-CANDIDATES} (default: all of them).")
  List<String> methods;

  @Option(names = "--recipes", paramLabel = "SCALE", defaultValue = "cpu-hour",
      converter = CompareCommand.ScaleChoice.class, completionCandidates = CompareCommand.ScaleChoice.class,
      description = {"${COMPLETION-CANDIDATES}: METHOD-cpu-hour as written (default), or METHOD-cpu at --model",
          "and --frames."})
  RecipeScale recipes;

  @Option(names = "--evaluations", paramLabel = "LIST", split = ",",
      converter = CompareCommand.EvaluationChoice.class,
      completionCandidates = CompareCommand.EvaluationChoice.class,
      description = "Evaluations: ${COMPLETION-CANDIDATES} (default: frozen, finetune).")
  List<Evaluation> evaluations = new ArrayList<>(List.of(Evaluation.FINETUNE, Evaluation.FROZEN));

  @Option(names = "--budget-minutes", paramLabel = "M",
      description = "Shorten every pretraining to this wall-clock budget (timed, then turned into steps).")
  Double budgetMinutes;

  @Option(names = "--budget-steps", paramLabel = "N",
      description = "Shorten every pretraining to N steps (default with cpu-hour: the recipe's own).")
  Long budgetSteps;

  @Option(names = "--model", paramLabel = "SIZE", defaultValue = "micro",
      completionCandidates = CompareCommand.Sizes.class,
      description = "With --recipes cpu: the model size of every method (default: ${DEFAULT-VALUE}).")
  String model;

  @Option(names = "--frames", paramLabel = "N", defaultValue = "96",
      description = {"With --recipes cpu: the pretraining input length; also the length the pool's normalisation",
          "is measured at (default: ${DEFAULT-VALUE})."})
  int frames;

  @Option(names = "--epochs", paramLabel = "N", defaultValue = "30",
      description = "Fine-tuning epochs (default: ${DEFAULT-VALUE}).")
  double epochs;

  @Option(names = "--repeats", paramLabel = "R", defaultValue = "1",
      description = "Fine-tuning runs per fold, seeds SEED.. (default: ${DEFAULT-VALUE}).")
  int repeats;

  @Option(names = "--seed", defaultValue = "7", description = "Seed of the runs (default: ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public Integer call() {
    OptionChecks.positive("--budget-minutes", budgetMinutes);
    if (budgetSteps != null) {
      OptionChecks.atLeast("--budget-steps", budgetSteps, 1);
    }
    OptionChecks.atLeast("--frames", frames, 16);
    OptionChecks.positive("--epochs", epochs);
    OptionChecks.atLeast("--repeats", repeats, 1);
    Path root = data != null ? data : out.resolve("data");
    Path results = out.resolve("compare");
    if (!generateOnly) {
      OptionChecks.outputDirectory(results);
    }
    PrintWriter o = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    RepresentationBenchmark benchmark = RepresentationBenchmark.of(BenchmarkSize.parse(size), dataSeed);
    if (benchmark.isWrittenIn(root)) {
      o.printf(Locale.ROOT, "benchmark  %s (%s, seed %d)%n", root, size, dataSeed);
    } else {
      long start = System.nanoTime();
      int[] shown = {0};
      try (ProgressBar bar = new ProgressBar(err, "generate", benchmark.clipCount())) {
        benchmark.writeTo(root, n -> {
          while (shown[0] < n) {
            shown[0]++;
            bar.step("");
          }
        });
      }
      o.printf(Locale.ROOT, "generated  %d clips in %s (%.1f min)%n", benchmark.clipCount(), root,
          (System.nanoTime() - start) / 60e9);
    }
    RepresentationBenchmark.Manifest manifest = RepresentationBenchmark.read(root);
    for (RepresentationBenchmark.TaskSpec t : manifest.tasks()) {
      o.printf(Locale.ROOT, "  %-12s %s%n", t.name(), t.about());
    }
    o.flush();
    if (generateOnly) {
      return 0;
    }
    List<Task> tasks = manifest.tasks().stream().map(t -> new Task(t.name(),
        RepresentationBenchmark.Manifest.resolve(root, t.data()),
        t.test() == null ? null : RepresentationBenchmark.Manifest.resolve(root, t.test()), t.frames())).toList();
    List<String> rows = methods != null ? methods : defaultRows();
    Long steps = budgetSteps != null || recipes == RecipeScale.CPU_HOUR ? budgetSteps : (Long) 1500L;
    Plan plan = new Plan(rows, RepresentationBenchmark.Manifest.resolve(root, manifest.pool()), tasks, model, frames,
        budgetMinutes, steps, epochs, seed, repeats, evaluations, recipes);
    long start = System.nanoTime();
    Report report = Comparison.run(plan, results, new CompareCommand.ProgressBars(o, err));
    String bars = Bars.markdown(Bars.of(report));
    try {
      AtomicFile.writeString(results.resolve("bars.md"), bars);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    o.println();
    o.println(ReportFiles.markdown(report));
    o.println(bars);
    o.printf(Locale.ROOT, "results  %s, %s, %s%n", results.resolve("results.md"), results.resolve("results.json"),
        results.resolve("bars.md"));
    o.printf(Locale.ROOT, "took     %.1f min%n", (System.nanoTime() - start) / 60e9);
    o.flush();
    return 0;
  }

  private static List<String> defaultRows() {
    List<String> rows = new ArrayList<>(PretrainingMethods.names());
    rows.add(Entry.SCRATCH);
    rows.add(Entry.LOG_MEL);
    return rows;
  }
}
