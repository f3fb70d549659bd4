package dev.earshot.cli;

import dev.earshot.data.Dataset;
import dev.earshot.data.DatasetSource;
import dev.earshot.model.Pooling;
import dev.earshot.recipe.FineTuneRecipe;
import dev.earshot.recipe.FineTuning;
import dev.earshot.recipe.Recipes;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import dev.earshot.tensor.World;
import dev.earshot.train.TrainingListener;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code earshot finetune}: supervised fine-tuning or linear probing, with the dataset's protocol. */
@Command(
    name = "finetune",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Fine-tune (or linear-probe) a model on labelled audio and evaluate it under the dataset's protocol.",
      "",
      "Start from an earshot model directory (--init: a pretraining run's RUN/model, or an imported checkpoint)",
      "or from random weights (--scratch MODEL). Protocols: ESC-50 and IEMOCAP run one fold per group (5-fold /",
      "leave-one-session-out) and report mean and standard deviation; Speech Commands and VoxCeleb1 use their",
      "train and test lists; --test SPEC gives a separate test set; otherwise a seeded 80/20 split. Loss:",
      "cross-entropy for single-label data, binary cross-entropy for multi-label (AudioSet JSON). Metrics:",
      "accuracy, or mAP / mean AUC / d'. Writes OUT/results.json, OUT/results.md and per fold the model,",
      "curves and a confusion matrix. Recipes: finetune-cpu, finetune-esc50, finetune-speechcommands, or a YAML",
      "file; every flag overrides the recipe."
    })
final class FinetuneCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--data", required = true, paramLabel = "SPEC",
      description = "Labelled data: folder:DIR, csv:FILE, esc50:DIR, speechcommands:DIR, audioset:JSON[,LABELS],"
          + " voxceleb1:DIR, iemocap:DIR.")
  String data;

  @Option(names = "--test", paramLabel = "SPEC", description = "A separate test set.")
  String test;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Start start;

  static final class Start {
    @Option(names = "--init", paramLabel = "MODEL_DIR", description = "Start from this earshot model directory.")
    Path init;

    @Option(names = "--scratch", paramLabel = "MODEL", completionCandidates = ModelNames.class,
        description = "Start from random weights of this architecture, e.g. ssast-tiny-patch.")
    String scratch;
  }

  @Option(names = {"-o", "--out"}, required = true, paramLabel = "DIR", description = "Output folder.")
  Path out;

  @Option(names = "--recipe", paramLabel = "NAME|FILE", defaultValue = "finetune-cpu",
      description = "Recipe to start from (default: ${DEFAULT-VALUE}).")
  String recipe;

  @Option(names = "--protocol", paramLabel = "P", defaultValue = "auto", completionCandidates = Names.Protocols.class,
      converter = Names.ProtocolName.class,
      description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  String protocol;

  @Option(names = "--linear-probe", description = "Train only the head (encoder frozen).")
  boolean linearProbe;

  @Option(names = "--epochs", paramLabel = "N", description = "Passes over the training split (recipe key epochs).")
  Double epochs;

  @Mixin TrainingOverrides training;
  @Mixin ExecutionOptions compute;
  @Mixin WorkerOptions workers;

  @Option(names = "--stride", paramLabel = "N", description = "Patch stride (positions are adapted as SSAST does).")
  Integer stride;

  @Option(names = "--layer-decay", paramLabel = "X",
      description = "Layer-wise learning-rate decay on the blocks (1 = none; EAT fine-tunes with 0.65).")
  Double layerDecay;

  @Option(names = "--pooling", paramLabel = "P", converter = Choice.PoolingChoice.class,
      completionCandidates = Choice.PoolingChoice.class,
      description = "Clip vector: ${COMPLETION-CANDIDATES} (default: the initial model's).")
  Pooling pooling;

  @Override
  public Integer call() {
    OptionChecks.positive("--epochs", epochs);
    OptionChecks.atLeast("--batch-size", training.batchSize, 1);
    OptionChecks.positive("--lr", training.lr);
    OptionChecks.atLeast("--frames", training.frames, 1);
    OptionChecks.atLeast("--stride", stride, 1);
    OptionChecks.outputDirectory(out);
    var o = spec.commandLine().getOut();
    var err = spec.commandLine().getErr();
    if (workers.launchesWorkers()) {
      return LocalWorkers.run("finetune", LocalWorkers.withoutWorkers(arguments()), workers.workers,
          workers.timeout(), o, err);
    }
    World world = workers.world(System.getenv());
    Map<String, Object> overrides = new LinkedHashMap<>();
    overrides.put("epochs", epochs);
    training.putInto(overrides);
    overrides.put("stride", stride);
    overrides.put("layerDecay", layerDecay);
    overrides.put("pooling", pooling == null ? null : pooling.label());
    overrides.put("linearProbe", linearProbe ? Boolean.TRUE : null);
    FineTuneRecipe r = Recipes.bind(Recipes.merge(Recipes.load(recipe), overrides), FineTuneRecipe.class,
        "recipe " + recipe);
    Dataset dataset = DatasetSource.read(data);
    Dataset testSet = test == null ? null : DatasetSource.read(test);
    o.printf(Locale.ROOT, "%s %s on %s: %d clips, %d classes%s%n", linearProbe ? "linear probing" : "fine-tuning",
        start.init != null ? start.init : start.scratch + " from scratch", dataset.name(), dataset.size(),
        dataset.classes().size(), dataset.multiLabel() ? " (multi-label)" : "");
    o.flush();
    FineTuning.Report report = FineTuning.run(r, dataset, testSet, protocol, start.init, start.scratch, out, training.cache,
        fold -> world.isLeader() ? new TrainingProgress(err, fold, r.toConfig().steps(dataset.size()), "loss",
            "train_acc") : TrainingListener.NONE,
        compute.execution().in(world));
    if (!world.isLeader()) {
      return 0; // worker 0 evaluates and reports
    }
    for (FineTuning.FoldResult f : report.folds()) {
      f.skipped().forEach(s -> err.println("earshot: skipped " + s));
    }
    o.println();
    o.print(report.markdown());
    o.printf(Locale.ROOT, "%nresults %s, %s%n", out.resolve("results.json"), out.resolve("results.md"));
    o.flush();
    return 0;
  }

  /** This command's arguments as given (after the command's name). */
  private List<String> arguments() {
    List<String> all = spec.commandLine().getParseResult().originalArgs();
    int at = all.indexOf(spec.name());
    return all.subList(at + 1, all.size());
  }
}
