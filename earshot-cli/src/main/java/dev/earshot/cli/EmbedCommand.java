package dev.earshot.cli;

import dev.earshot.EarshotException;
import dev.earshot.infer.AudioEmbedder;
import dev.earshot.model.ModelDirectory;
import dev.earshot.model.Pooling;
import dev.earshot.model.Readout;
import dev.earshot.features.WindowSpec;
import dev.earshot.infer.TimeSteps;
import dev.earshot.infer.TokenEmbeddings;
import dev.earshot.infer.WindowValues;
import dev.earshot.infer.WindowedResult;
import dev.earshot.io.AtomicFile;
import dev.earshot.io.Npy;
import dev.earshot.io.NpyArray;
import dev.earshot.serve.WindowedJson;
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

/** {@code earshot embed}: clip or frame embeddings of audio files as a NumPy array. */
@Command(
    name = "embed",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Clip (or per-time-step) embeddings of audio files from an earshot model, written as a float32 .npy.",
      "",
      "A clip longer than the model's input is cut into windows (--window, --hop; default: the model's input",
      "length, half-overlapping), streamed from the file; its embedding is the mean (or --aggregate max) of the",
      "windows' embeddings, and OUT.windows.npy + OUT.windows.tsv hold every window's embedding and times.",
      "",
      "Inputs are audio files or folders (searched for .wav, .flac, .mp3, .ogg, .opus, .m4a, ...) prepared by",
      "the model's own front end, or, with --features, normalised filterbanks as .npy of shape (T, F) or",
      "(B, T, F). Output rows follow the input order; OUT.npy.files.txt lists which input each row came from.",
      "Unreadable inputs are reported and skipped (listed with the reason in OUT.npy.skipped.txt; exit status",
      "2), the others are still written."
    })
final class EmbedCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = {"-o", "--out"}, required = true, paramLabel = "OUT.npy", description = "Output file.")
  Path out;

  @Option(names = "--layer", paramLabel = "K[,K...]", split = ",",
      description = {"Which layer: -1 final output, 0 embedded input, k output of block k; several are averaged.",
          "Default: the model's recorded readout (model.json, written by pretraining), else -1."})
  List<Integer> layers;

  @Option(names = "--pooling", paramLabel = "P",
      description = {"Clip vector rule: mean (of patches), cls, cls-dist. Default: the model's recorded readout,",
          "else the model's own pooling."})
  String pooling;

  @Option(names = "--time-std", negatable = true, description = {"Append the standard deviation over time of the",
      "time-step embeddings to each clip embedding (2 D values); --no-time-std leaves it out. Default: the",
      "model's recorded readout, else off."})
  Boolean timeStd;

  @Option(names = "--bands", negatable = true, description = {"Keep the frequency axis: each row of patches averaged",
      "over time, rows concatenated (F' D values; with --time-std each row's std follows); --no-bands averages",
      "every patch. Default: the model's recorded readout, else off."})
  Boolean bands;

  @Option(names = "--frames", description = {"Per-time-step (timestamp) embeddings (B, T', D): patches averaged over",
      "frequency, stitched across windows (padding dropped); OUT.timestamps.npy holds each step's time in ms."})
  boolean frames;

  @Mixin ModelInputOptions input;
  @Mixin WindowOptions windowOptions;
  @Mixin ExecutionOptions compute;

  /**
   * The model's recorded readout with the parts given on the command line replaced (null: no option given, the
   * recorded one as it is). A path that is not a model directory is left to the embedder to report.
   */
  private Readout readout() {
    if (layers == null && pooling == null && timeStd == null && bands == null) {
      return null;
    }
    Readout recorded = java.nio.file.Files.isRegularFile(input.model.resolve(ModelDirectory.MANIFEST))
        ? ModelDirectory.readManifest(input.model).readoutOrDefault() : Readout.FINAL;
    return new Readout(pooling == null ? recorded.pooling() : Pooling.parse(pooling),
        layers == null ? recorded.layers() : layers, timeStd == null ? recorded.timeStd() : timeStd,
        bands == null ? recorded.bands() : bands);
  }

  /** OUT.timestamps.npy next to OUT.npy. */
  private Path timestampsFile() {
    return sibling(".timestamps.npy");
  }

  @Override
  public Integer call() throws Exception {
    OptionChecks.atLeast("--batch-size", input.batchSize, 1);
    if (layers != null) {
      layers.forEach(l -> OptionChecks.atLeast("--layer", l, -1));
    }
    OptionChecks.outputFile(out);
    OptionChecks.outputFile(Path.of(out + ".files.txt"));
    if (frames) {
      OptionChecks.outputFile(timestampsFile());
    }
    var err = spec.commandLine().getErr();
    Readout readout = readout();
    try (AudioEmbedder embedder = AudioEmbedder.open(input.model, readout, input.batchSize, compute.execution())) {
      int d = frames ? embedder.tokenDimension() : embedder.dimension();
      List<String> names = new ArrayList<>();
      List<String> skipped;
      NpyArray result;
      String how;
      if (input.features) {
        ModelInputs.Loaded loaded = ModelInputs.load(input.inputs);
        skipped = loaded.skipped();
        List<float[][]> seqs = new ArrayList<>();
        double[] ms = null;
        List<float[]> vectors = new ArrayList<>();
        for (ModelInputs.Clip c : loaded.clips()) {
          names.add(c.name());
          if (frames) {
            TokenEmbeddings t = embedder.embedTokensOfFeatures(c.features());
            ms = ms == null ? t.timestampsMs() : ms;
            seqs.add(t.perTimeStep());
          }
        }
        if (!frames) {
          vectors = embedder.embedAll(loaded.clips().stream().map(ModelInputs.Clip::features).toList());
        }
        requireSome(names, skipped, err);
        result = frames ? stepsArray(seqs, ms, d) : rows(vectors, d);
        how = "one window per input";
      } else {
        WindowSpec windows = windowOptions.spec(embedder.spec());
        if (frames) {
          var outcome = ParallelClips.map(InputFiles.expand(input.inputs), err, "embed",
              f -> embedder.embedTimeSteps(f, windows));
          skipped = outcome.skipped();
          outcome.files().forEach(f -> names.add(f.toString()));
          requireSome(names, skipped, err);
          List<float[][]> seqs = outcome.results().stream().map(TimeSteps::embeddings).toList();
          result = stepsArray(seqs, outcome.results().get(0).timestampsMs(), d);
          long cropped = outcome.results().stream().filter(TimeSteps::cropped).count();
          how = "time steps across windows" + (cropped > 0 ? "; " + cropped + " clip(s) cropped (--crop)" : "");
        } else {
          var outcome = ParallelClips.map(InputFiles.expand(input.inputs), err, "embed",
              f -> embedder.embedWindows(f, windows, windowOptions.aggregation()));
          skipped = outcome.skipped();
          outcome.files().forEach(f -> names.add(f.toString()));
          requireSome(names, skipped, err);
          List<WindowedResult> results = outcome.results();
          result = rows(results.stream().map(WindowedResult::aggregate).toList(), d);
          how = describe(results);
          if (results.stream().anyMatch(r -> r.windows().size() > 1)) {
            writeWindows(results, d);
          }
        }
      }
      Npy.write(out, result);
      AtomicFile.writeLines(Path.of(out + ".files.txt"), names);
      Path skippedFile = Path.of(out + ".skipped.txt");
      if (!skipped.isEmpty()) {
        AtomicFile.writeLines(skippedFile, skipped);
      } else {
        java.nio.file.Files.deleteIfExists(skippedFile); // from an earlier run into the same output
      }
      spec.commandLine().getOut().printf(Locale.ROOT, "%d clip(s) -> %s %s (%s)%n", names.size(), out,
          java.util.Arrays.toString(result.shape()), how);
      spec.commandLine().getOut().flush();
      return skipped.isEmpty() ? 0 : 2;
    }
  }

  private static void requireSome(List<String> names, List<String> skipped, java.io.PrintWriter err) {
    skipped.forEach(s -> err.println("earshot: skipped " + s));
    if (names.isEmpty()) {
      throw new EarshotException("no input could be read");
    }
  }

  private String describe(List<WindowedResult> results) {
    WindowedResult first = results.get(0);
    long cropped = results.stream().filter(WindowedResult::cropped).count();
    int windows = results.stream().mapToInt(r -> r.windows().size()).sum();
    return String.format(Locale.ROOT, "%s over windows of %.2f s every %.2f s, %d window(s)%s",
        first.aggregation().label(), first.windowSeconds(), first.hopSeconds(), windows,
        cropped > 0 ? "; " + cropped + " clip(s) cropped to their first window (--crop)" : "");
  }

  /** OUT.windows.npy (windows, D) and OUT.windows.tsv: every window's embedding, with its clip and times. */
  private void writeWindows(List<WindowedResult> results, int d) throws java.io.IOException {
    List<float[]> rows = new ArrayList<>();
    List<String> index = new ArrayList<>();
    index.add("row\tinput\twindow\tstart_s\tend_s");
    for (WindowedResult r : results) {
      for (WindowValues w : r.windows()) {
        index.add(rows.size() + "\t" + r.source() + "\t" + w.index() + "\t" + WindowedJson.seconds(w.startSeconds())
            + "\t" + WindowedJson.seconds(w.endSeconds()));
        rows.add(w.values());
      }
    }
    Path npy = sibling(".windows.npy");
    Npy.write(npy, rows(rows, d));
    AtomicFile.writeLines(sibling(".windows.tsv"), index);
  }

  private NpyArray stepsArray(List<float[][]> seqs, double[] ms, int d) throws java.io.IOException {
    int steps = seqs.get(0).length;
    for (float[][] s : seqs) {
      if (s.length != steps) {
        throw new EarshotException("inputs give different numbers of time steps (" + steps + " and " + s.length
            + "); --frames needs clips of equal length (or one clip per call)");
      }
    }
    float[] flat = new float[seqs.size() * steps * d];
    for (int i = 0; i < seqs.size(); i++) {
      for (int t = 0; t < steps; t++) {
        System.arraycopy(seqs.get(i)[t], 0, flat, (i * steps + t) * d, d);
      }
    }
    float[] times = new float[ms.length];
    for (int t = 0; t < ms.length; t++) {
      times[t] = (float) ms[t];
    }
    Npy.write(timestampsFile(), NpyArray.ofFloats(times, ms.length));
    return NpyArray.ofFloats(flat, seqs.size(), steps, d);
  }

  private static NpyArray rows(List<float[]> vectors, int d) {
    float[] flat = new float[vectors.size() * d];
    for (int i = 0; i < vectors.size(); i++) {
      System.arraycopy(vectors.get(i), 0, flat, i * d, d);
    }
    return NpyArray.ofFloats(flat, vectors.size(), d);
  }

  private Path sibling(String suffix) {
    String name = out.getFileName().toString();
    String stem = name.endsWith(".npy") ? name.substring(0, name.length() - 4) : name;
    return out.resolveSibling(stem + suffix);
  }
}
