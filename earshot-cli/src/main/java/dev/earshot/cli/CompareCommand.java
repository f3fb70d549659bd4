package dev.earshot.cli;

import dev.earshot.compare.Comparison;
import dev.earshot.compare.Entry;
import dev.earshot.compare.Evaluation;
import dev.earshot.compare.Plan;
import dev.earshot.compare.Progress;
import dev.earshot.compare.RecipeScale;
import dev.earshot.compare.Report;
import dev.earshot.compare.ReportFiles;
import dev.earshot.compare.Task;
import dev.earshot.recipe.PretrainingMethods;
import dev.earshot.train.TrainingListener;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code earshot compare}: every method on the same pool and budget, evaluated on the same tasks. */
@Command(
    name = "compare",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Pretrain several methods on the same unlabelled audio under the same budget, then evaluate every encoder",
      "on every task four ways: linear probe, full fine-tuning, and a HEAR-style shallow classifier on frozen",
      "clip embeddings and on frozen time-step (timestamp) embeddings. 'scratch' adds each compared architecture",
      "from random weights; 'logmel' adds the log-mel-statistics baseline (per band the mean and std of the",
      "whole clip's filterbank, the same frozen classifier). Each method starts from its CPU recipe (METHOD-cpu)",
      "at the chosen size and input length (or, with --recipes cpu-hour, from its one-hour recipe as written), on",
      "the pool's own normalisation; probes and fine-tunes use finetune-cpu. Frozen embeddings cover whole clips",
      "(windows of the encoder's input, averaged; time steps stitched across them). Writes OUT/results.json,",
      "OUT/results.md, plots (scores per task, pretraining loss against time, the frozen score of every",
      "pretraining snapshot against time) and every run's folder. Running the same command again skips what is",
      "done and resumes an interrupted pretraining from its last checkpoint.",
      "",
      "Example: ./earshot compare --pool unlabeled:pool/ --task events=folder:train/ --test events=folder:test/ \\",
      "           --budget-minutes 3 --repeats 3 --out runs/compare"
    })
final class CompareCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--methods", paramLabel = "LIST", split = ",", completionCandidates = Contenders.class,
      description = {"Comma-separated, in table order: ${COMPLETION-CANDIDATES}",
          "(default: all of them)."})
  List<String> methods;

  @Option(names = "--pool", required = true, paramLabel = "SPEC", description = "Unlabelled audio (FORMAT:PATH).")
  String pool;

  @Option(names = "--task", required = true, paramLabel = "NAME=SPEC",
      description = {"A labelled task, e.g. events=folder:DIR or esc50=esc50:DIR (repeatable). Its folds or",
          "train/test groups are used when the format has them; otherwise a seeded 80/20 split, unless --test."})
  List<String> tasks = new ArrayList<>();

  @Option(names = "--test", paramLabel = "NAME=SPEC",
      description = "A held-out test set for the task NAME, e.g. events=folder:test/ (repeatable).")
  List<String> tests = new ArrayList<>();

  @Option(names = "--task-frames", paramLabel = "NAME=N",
      description = {"Input length of task NAME's evaluations, e.g. esc50=512 (repeatable; default:",
          "--frames). Encoders are rebuilt for it (learned positions adapted as SSAST does)."})
  List<String> taskFrames = new ArrayList<>();

  @Option(names = "--evaluations", paramLabel = "LIST", split = ",", converter = EvaluationChoice.class,
      completionCandidates = EvaluationChoice.class,
      description = {"Which evaluations run: ${COMPLETION-CANDIDATES} (default: all).",
          "E.g. frozen alone skips every fine-tuning; the progress curve needs frozen."})
  List<Evaluation> evaluations;

  @Option(names = "--budget-minutes", paramLabel = "M",
      description = {"Pretraining wall-clock budget per method: 30 calibration steps are run, the last 20 timed,",
          "and the budget becomes a step count (so the learning-rate schedule can end on time)."})
  Double budgetMinutes;

  @Option(names = "--budget-steps", paramLabel = "N",
      description = {"Pretraining steps per method when no minutes are given (default: 1500 with --recipes cpu,",
          "the recipe's own with cpu-hour)."})
  Long budgetSteps;

  @Option(names = "--recipes", paramLabel = "SCALE", defaultValue = "cpu", converter = ScaleChoice.class,
      completionCandidates = ScaleChoice.class,
      description = {"Which recipe each method starts from: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).",
          "cpu: METHOD-cpu at --model and --frames; cpu-hour: METHOD-cpu-hour with its own model, length and",
          "schedule (--model and --frames are then ignored; a budget, when given, shortens it)."})
  RecipeScale recipes;

  @Option(names = "--model", paramLabel = "SIZE", defaultValue = "micro", completionCandidates = Sizes.class,
      description = "Model size of every method: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  String size;

  @Option(names = "--frames", paramLabel = "N", defaultValue = "96",
      description = "Input length of pretraining and of every task in frames (default: ${DEFAULT-VALUE}).")
  int frames;

  @Option(names = "--epochs", paramLabel = "N", defaultValue = "60",
      description = "Fine-tuning and linear-probe epochs (default: ${DEFAULT-VALUE}).")
  double epochs;

  @Option(names = "--seed", defaultValue = "7", description = "Seed of every run (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--repeats", paramLabel = "R", defaultValue = "1",
      description = {"Probe and fine-tuning runs per fold with seeds SEED..SEED+R-1; the table's standard",
          "deviation is over folds and repeats (default: ${DEFAULT-VALUE})."})
  int repeats;

  @Option(names = {"-o", "--out"}, required = true, paramLabel = "DIR", description = "Output folder.")
  Path out;

  /** {@code --methods} values: the registered methods, "scratch" and "logmel". */
  static final class Contenders implements Iterable<String> {
    static List<String> all() {
      List<String> all = new ArrayList<>(PretrainingMethods.names());
      all.add(Entry.SCRATCH);
      all.add(Entry.LOG_MEL);
      return all;
    }

    @Override
    public Iterator<String> iterator() {
      return all().iterator();
    }
  }

  /** {@code --model} values: the sizes every compared family has. */
  static final class Sizes implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return Plan.sizes().iterator();
    }
  }

  /** {@code --recipes} values. */
  static final class ScaleChoice implements ITypeConverter<RecipeScale>, Iterable<String> {
    @Override
    public RecipeScale convert(String value) {
      return RecipeScale.parse(value);
    }

    @Override
    public Iterator<String> iterator() {
      return Arrays.stream(RecipeScale.values()).map(RecipeScale::label).iterator();
    }
  }

  /** {@code --evaluations} values, by key. */
  static final class EvaluationChoice implements ITypeConverter<Evaluation>, Iterable<String> {
    @Override
    public Evaluation convert(String value) {
      return Evaluation.parse(value);
    }

    @Override
    public Iterator<String> iterator() {
      return Arrays.stream(Evaluation.values()).map(Evaluation::key).iterator();
    }
  }

  @Override
  public Integer call() {
    OptionChecks.positive("--budget-minutes", budgetMinutes);
    if (budgetSteps != null) {
      OptionChecks.atLeast("--budget-steps", budgetSteps, 1);
    }
    OptionChecks.atLeast("--frames", frames, 1);
    OptionChecks.positive("--epochs", epochs);
    OptionChecks.atLeast("--repeats", repeats, 1);
    OptionChecks.outputDirectory(out);
    var o = spec.commandLine().getOut();
    var err = spec.commandLine().getErr();
    List<Task> parsed = Task.withFrames(Task.withTests(tasks.stream().map(Task::parse).toList(), tests), taskFrames);
    Long steps = budgetSteps != null || recipes == RecipeScale.CPU_HOUR ? budgetSteps : (Long) 1500L;
    Plan plan = new Plan(methods == null ? Contenders.all() : methods, pool, parsed, size, frames,
        budgetMinutes, steps, epochs, seed, repeats, evaluations, recipes);
    long start = System.nanoTime();
    Report report = Comparison.run(plan, out, new ProgressBars(o, err));
    o.println();
    o.println(ReportFiles.markdown(report));
    o.printf(Locale.ROOT, "results  %s, %s%n", out.resolve("results.json"), out.resolve("results.md"));
    o.printf(Locale.ROOT, "plots    %s, %s, %s%n", out.resolve("scores-" + plan.evaluations().get(0).key() + ".png"),
        out.resolve("pretraining-loss.png"), out.resolve("score-vs-time.png"));
    o.printf(Locale.ROOT, "took     %.1f min%n", (System.nanoTime() - start) / 60e9);
    o.flush();
    return 0;
  }

  /** One progress bar per stage (closed when the next starts or a line is logged), lines on standard output. */
  static final class ProgressBars implements Progress {
    private final PrintWriter out;
    private final PrintWriter err;
    private final List<TrainingProgress> open = new ArrayList<>();

    ProgressBars(PrintWriter out, PrintWriter err) {
      this.out = out;
      this.err = err;
    }

    @Override
    public TrainingListener listener(String stage, Long steps) {
      closeAll();
      if (steps != null) {
        TrainingProgress p = new TrainingProgress(err, stage, steps, "loss");
        open.add(p);
        return p;
      }
      return new TrainingListener() { // the fine-tuning's length is known at its first step
        TrainingProgress bar;

        @Override
        public void onStep(long done, long total, double lr, Map<String, Double> metrics) {
          if (bar == null) {
            bar = new TrainingProgress(err, stage, total, "loss", "train_acc");
            open.add(bar);
          }
          bar.onStep(done, total, lr, metrics);
        }
      };
    }

    @Override
    public void log(String line) {
      closeAll();
      out.println(line);
      out.flush();
    }

    private void closeAll() {
      open.forEach(TrainingProgress::close);
      open.clear();
    }
  }
}
