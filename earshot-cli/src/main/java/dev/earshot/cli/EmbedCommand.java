package dev.earshot.cli;

import dev.earshot.EarshotException;
import dev.earshot.infer.AudioEmbedder;
import dev.earshot.infer.TokenEmbeddings;
import dev.earshot.io.AtomicFile;
import dev.earshot.io.Npy;
import dev.earshot.io.NpyArray;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
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
      "Inputs are audio files or folders (searched for .wav/.flac) prepared by the model's own front end,",
      "or, with --features, normalised filterbanks as .npy of shape (T, F) or (B, T, F). Output rows follow",
      "the input order; OUT.npy.files.txt lists which input each row came from. Unreadable inputs are",
      "reported and skipped (listed with the reason in OUT.npy.skipped.txt; exit status 2), the others are",
      "still written."
    })
final class EmbedCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "DIR", description = "An earshot model directory.")
  Path model;

  @Parameters(arity = "1..*", paramLabel = "IN", description = "Audio files/folders, or .npy with --features.")
  List<Path> inputs;

  @Option(names = {"-o", "--out"}, required = true, paramLabel = "OUT.npy", description = "Output file.")
  Path out;

  @Option(names = "--layer", paramLabel = "K", defaultValue = "-1",
      description = "-1 final output (default), 0 embedded input, k output of block k.")
  int layer;

  @Option(names = "--frames", description = {"Per-time-step (timestamp) embeddings (B, T', D): patches averaged over",
      "frequency; OUT.timestamps.npy holds each step's time in ms (T',)."})
  boolean frames;

  @Option(names = "--features", description = "Inputs are normalised filterbank .npy files.")
  boolean features;

  @Option(names = "--batch-size", paramLabel = "N", defaultValue = "16", description = "Maximum batch (default 16).")
  int batchSize;

  /** OUT.timestamps.npy next to OUT.npy. */
  private Path timestampsFile() {
    String name = out.getFileName().toString();
    String stem = name.endsWith(".npy") ? name.substring(0, name.length() - 4) : name;
    return out.resolveSibling(stem + ".timestamps.npy");
  }

  @Override
  public Integer call() throws Exception {
    OptionChecks.atLeast("--batch-size", batchSize, 1);
    OptionChecks.atLeast("--layer", layer, -1);
    OptionChecks.outputFile(out);
    OptionChecks.outputFile(Path.of(out + ".files.txt"));
    if (frames) {
      OptionChecks.outputFile(timestampsFile());
    }
    var err = spec.commandLine().getErr();
    try (AudioEmbedder embedder = AudioEmbedder.open(model, layer, batchSize)) {
      ModelInputs.Loaded loaded = ModelInputs.load(inputs, features, embedder.spec().frontEnd(), err);
      loaded.skipped().forEach(s -> err.println("earshot: skipped " + s));
      if (loaded.clips().isEmpty()) {
        throw new EarshotException("no input could be read");
      }
      int d = embedder.dimension();
      List<String> names = new ArrayList<>();
      NpyArray result;
      if (frames) {
        List<float[][]> seqs = new ArrayList<>();
        double[] ms = null;
        for (ModelInputs.Clip c : loaded.clips()) {
          TokenEmbeddings t = embedder.embedTokensOfFeatures(c.features());
          ms = ms == null ? t.timestampsMs() : ms;
          seqs.add(t.perTimeStep());
          names.add(c.name());
        }
        int steps = seqs.get(0).length;
        for (float[][] s : seqs) {
          if (s.length != steps) {
            throw new EarshotException("inputs give different numbers of time steps (" + steps + " and " + s.length
                + "); --frames needs equal lengths");
          }
        }
        float[] flat = new float[seqs.size() * steps * d];
        for (int i = 0; i < seqs.size(); i++) {
          for (int t = 0; t < steps; t++) {
            System.arraycopy(seqs.get(i)[t], 0, flat, (i * steps + t) * d, d);
          }
        }
        result = NpyArray.ofFloats(flat, seqs.size(), steps, d);
        float[] times = new float[ms.length];
        for (int t = 0; t < ms.length; t++) {
          times[t] = (float) ms[t];
        }
        Npy.write(timestampsFile(), NpyArray.ofFloats(times, ms.length));
      } else {
        List<float[][]> feats = new ArrayList<>();
        for (ModelInputs.Clip c : loaded.clips()) {
          feats.add(c.features());
          names.add(c.name());
        }
        List<float[]> vectors = embedder.embedAll(feats);
        float[] flat = new float[vectors.size() * d];
        for (int i = 0; i < vectors.size(); i++) {
          System.arraycopy(vectors.get(i), 0, flat, i * d, d);
        }
        result = NpyArray.ofFloats(flat, vectors.size(), d);
      }
      Npy.write(out, result);
      AtomicFile.writeLines(Path.of(out + ".files.txt"), names);
      Path skippedFile = Path.of(out + ".skipped.txt");
      if (!loaded.skipped().isEmpty()) {
        AtomicFile.writeLines(skippedFile, loaded.skipped());
      } else {
        java.nio.file.Files.deleteIfExists(skippedFile); // from an earlier run into the same output
      }
      spec.commandLine().getOut().printf(Locale.ROOT, "%d clip(s) -> %s %s%n", names.size(), out,
          java.util.Arrays.toString(result.shape()));
      spec.commandLine().getOut().flush();
      return loaded.skipped().isEmpty() ? 0 : 2;
    }
  }
}
