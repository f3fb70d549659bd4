package dev.earshot.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.earshot.EarshotException;
import dev.earshot.features.WindowSpec;
import dev.earshot.io.AtomicFile;
import dev.earshot.io.Json;
import dev.earshot.infer.AudioClassifier;
import dev.earshot.infer.Prediction;
import dev.earshot.infer.WindowValues;
import dev.earshot.infer.WindowedResult;
import dev.earshot.io.Npy;
import dev.earshot.io.NpyArray;
import dev.earshot.serve.WindowedJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code earshot classify}: the top classes of audio files of any length, per window and per clip. */
@Command(
    name = "classify",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Top classes of audio files from an earshot model with a classifier head.",
      "",
      "Scores are sigmoid probabilities (multi-label models) or softmax probabilities, as the model says.",
      "A clip longer than the model's input is cut into windows (--window, --hop; default: the model's input",
      "length, half-overlapping); each window gets its scores with its start and end time, and the clip's",
      "scores are their mean (or --aggregate max). Files are decoded and analysed as streams, so an hour-long",
      "recording needs no more memory than a short one. Inputs are audio files (WAV, FLAC, MP3, Ogg, Opus,",
      "M4A, ...) or folders, or, with --features, normalised filterbank .npy files (one window each).",
      "Unreadable inputs are reported and skipped (with --json also as {\"skipped\": \"FILE: reason\"} entries;",
      "exit status 2), the others classified."
    })
final class ClassifyCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--top-k", paramLabel = "N", defaultValue = "5", description = "Classes per clip (default 5).")
  int topK;

  @Option(names = "--json", description = "JSON output: per clip the aggregate and every window with its times.")
  boolean json;

  @Option(names = "--logits", paramLabel = "OUT.npy", description = {"Also write the logits of every window",
      "(windows, classes); OUT.npy.windows.tsv says which clip and time each row is."})
  Path logitsOut;

  @Mixin ModelInputOptions input;
  @Mixin WindowOptions windowOptions;
  @Mixin ExecutionOptions compute;

  /** One clip's answer: its scores per window and aggregated, and the raw logits per window. */
  private record ClipScores(String name, WindowedResult scores, List<float[]> logits) {}

  @Override
  public Integer call() throws Exception {
    OptionChecks.atLeast("--top-k", topK, 1);
    OptionChecks.atLeast("--batch-size", input.batchSize, 1);
    OptionChecks.outputFile(logitsOut);
    var out = spec.commandLine().getOut();
    var err = spec.commandLine().getErr();
    try (AudioClassifier classifier = AudioClassifier.open(input.model, input.batchSize, compute.execution())) {
      List<ClipScores> clips = new ArrayList<>();
      List<String> skipped;
      if (input.features) {
        ModelInputs.Loaded loaded = ModelInputs.load(input.inputs);
        skipped = loaded.skipped();
        List<float[][]> feats = loaded.clips().stream().map(ModelInputs.Clip::features).toList();
        List<float[]> logits = feats.isEmpty() ? List.of() : classifier.logitsAll(feats);
        double shift = classifier.spec().fbank().frameShiftMs() / 1000.0;
        for (int i = 0; i < logits.size(); i++) {
          double seconds = feats.get(i).length * shift;
          float[] scores = classifier.scores(logits.get(i));
          WindowedResult r = new WindowedResult(loaded.clips().get(i).name(), seconds, seconds, seconds, false,
              List.of(new WindowValues(0, 0, seconds, scores)), windowOptions.aggregation(), scores);
          clips.add(new ClipScores(r.source(), r, List.of(logits.get(i))));
        }
      } else {
        WindowSpec windows = windowOptions.spec(classifier.spec());
        var outcome = ParallelClips.map(InputFiles.expand(input.inputs), err, "classify",
            f -> scores(classifier, f, windows));
        skipped = outcome.skipped();
        clips.addAll(outcome.results());
      }
      skipped.forEach(s -> err.println("earshot: skipped " + s));
      if (clips.isEmpty()) {
        throw new EarshotException("no input could be read");
      }
      if (json) {
        ArrayNode array = toJson(classifier, clips);
        for (String s : skipped) {
          array.addObject().put("skipped", s);
        }
        out.println(Json.pretty(array));
      } else {
        for (ClipScores c : clips) {
          printText(out, classifier, c);
        }
      }
      if (logitsOut != null) {
        writeLogits(clips);
      }
      out.flush();
      return skipped.isEmpty() ? 0 : 2;
    }
  }

  private ClipScores scores(AudioClassifier classifier, Path file, WindowSpec windows) {
    WindowedResult logits = classifier.logitsWindows(file, windows, windowOptions.aggregation());
    List<WindowValues> perWindow = new ArrayList<>();
    List<float[]> raw = new ArrayList<>();
    for (WindowValues w : logits.windows()) {
      raw.add(w.values());
      perWindow.add(new WindowValues(w.index(), w.startSeconds(), w.endSeconds(), classifier.scores(w.values())));
    }
    float[] aggregate = logits.aggregation().apply(perWindow.stream().map(WindowValues::values).toList());
    return new ClipScores(file.toString(), new WindowedResult(file.toString(), logits.durationSeconds(),
        logits.windowSeconds(), logits.hopSeconds(), logits.cropped(), perWindow, logits.aggregation(), aggregate),
        raw);
  }

  private void printText(java.io.PrintWriter out, AudioClassifier classifier, ClipScores c) {
    WindowedResult r = c.scores();
    out.println(c.name() + "  (" + WindowOptions.describe(r) + ")");
    for (Prediction p : classifier.top(r.aggregate(), topK)) {
      out.printf(Locale.ROOT, "  %.4f  %s%n", p.score(), p.label());
    }
    if (r.windows().size() > 1) {
      for (WindowValues w : r.windows()) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "    [%8.2f - %8.2f s]", w.startSeconds(),
            w.endSeconds()));
        for (Prediction p : classifier.top(w.values(), Math.min(topK, 3))) {
          line.append(String.format(Locale.ROOT, "  %.3f %s", p.score(), p.label()));
        }
        out.println(line);
      }
    }
  }

  private ArrayNode toJson(AudioClassifier classifier, List<ClipScores> clips) {
    ArrayNode array = Json.array();
    for (ClipScores c : clips) {
      array.add(WindowedJson.classification(c.scores(), s -> classifier.top(s, topK)));
    }
    return array;
  }

  private void writeLogits(List<ClipScores> clips) throws java.io.IOException {
    List<float[]> rows = new ArrayList<>();
    List<String> index = new ArrayList<>();
    index.add("row\tinput\twindow\tstart_s\tend_s");
    for (ClipScores c : clips) {
      for (int k = 0; k < c.logits().size(); k++) {
        WindowValues w = c.scores().windows().get(k);
        index.add(rows.size() + "\t" + c.name() + "\t" + k + "\t" + WindowedJson.seconds(w.startSeconds()) + "\t"
            + WindowedJson.seconds(w.endSeconds()));
        rows.add(c.logits().get(k));
      }
    }
    int classes = rows.get(0).length;
    float[] flat = new float[rows.size() * classes];
    for (int i = 0; i < rows.size(); i++) {
      System.arraycopy(rows.get(i), 0, flat, i * classes, classes);
    }
    Npy.write(logitsOut, NpyArray.ofFloats(flat, rows.size(), classes));
    AtomicFile.writeLines(Path.of(logitsOut + ".windows.tsv"), index);
  }
}
