package dev.earshot.cli;

import dev.earshot.tensor.Execution;
import dev.earshot.tensor.TensorScope;
import dev.earshot.EarshotException;
import dev.earshot.data.Dataset;
import dev.earshot.data.DatasetSource;
import dev.earshot.data.FeatureSource;
import dev.earshot.eval.Evaluator;
import dev.earshot.eval.FineTuner;
import dev.earshot.eval.Metrics;
import dev.earshot.eval.Predictions;
import dev.earshot.io.Json;
import dev.earshot.model.Encoder;
import dev.earshot.io.AtomicFile;
import dev.earshot.model.ModelDirectory;
import dev.earshot.plot.ConfusionMatrixImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code earshot evaluate}: a classifier's metrics on a labelled dataset. */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Evaluate an earshot classifier on labelled audio: accuracy (single-label) or mAP, mean AUC and d'",
      "(multi-label), a confusion matrix for single-label data, results as JSON. The model's classes must be",
      "the dataset's, in the same order. --group picks one split or fold (e.g. testing, or an ESC-50 fold).",
      "Unreadable clips are reported and skipped."
    })
final class EvaluateCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin ExecutionOptions compute;

  @Option(names = "--model", required = true, paramLabel = "DIR", description = "An earshot model directory.")
  Path model;

  @Option(names = "--data", required = true, paramLabel = "SPEC", description = "Labelled data (FORMAT:PATH).")
  String data;

  @Option(names = "--group", paramLabel = "G", description = "Only this group (split or fold) of the dataset.")
  String group;

  @Option(names = {"-o", "--out"}, paramLabel = "DIR", description = "Write results.json and confusion.png here.")
  Path out;

  @Override
  public Integer call() throws Exception {
    OptionChecks.outputDirectory(out);
    var o = spec.commandLine().getOut();
    var err = spec.commandLine().getErr();
    Dataset dataset = DatasetSource.read(data);
    if (group != null) {
      dataset = dataset.group(group);
    }
    ModelDirectory.Manifest manifest = ModelDirectory.readManifest(model);
    if (!manifest.spec().labels().equals(dataset.classes())) {
      throw new EarshotException(model + ": the model's classes " + abbreviate(manifest.spec().labels().toString())
          + " are not the dataset's " + abbreviate(dataset.classes().toString()));
    }
    Predictions p;
    Execution execution = compute.execution();
    try (TensorScope manager = execution.newBaseScope();
        ProgressBar bar = new ProgressBar(err, "evaluate", dataset.size())) {
      Encoder m = ModelDirectory.load(model, manager);
      p = Evaluator.predict(m, dataset, new FeatureSource(manifest.spec().frontEnd(), null), 16, d -> bar.step(null),
          execution);
    }
    p.skipped().forEach(s -> err.println("earshot: skipped " + s));
    Map<String, Double> metrics = FineTuner.summarize(p, dataset.multiLabel());
    o.printf(Locale.ROOT, "%s on %s (%d clips):%n", model, dataset.name(), p.clips().size());
    metrics.forEach((k, v) -> o.printf(Locale.ROOT, "  %-10s %.4f%n", k, v));
    if (out != null) {
      Files.createDirectories(out);
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("model", model.toString());
      json.put("dataset", dataset.name());
      json.put("clips", p.clips().size());
      json.put("metrics", metrics);
      json.put("skipped", p.skipped());
      AtomicFile.writeString(out.resolve("results.json"), Json.pretty(json));
      if (!dataset.multiLabel() && p.logits().length > 0) {
        ConfusionMatrixImage.write(out.resolve("confusion.png"), Metrics.confusion(p.logits(), p.targets()),
            dataset.classes(), "confusion, " + dataset.name());
      }
      o.printf(Locale.ROOT, "results %s%n", out.resolve("results.json"));
    }
    o.flush();
    return p.skipped().isEmpty() ? 0 : 2;
  }

  private static String abbreviate(String s) {
    return s.length() > 120 ? s.substring(0, 117) + "..." : s;
  }
}
