package dev.earshot.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.earshot.EarshotException;
import dev.earshot.infer.AudioClassifier;
import dev.earshot.infer.Prediction;
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

/** {@code earshot classify}: the top classes of audio files. */
@Command(
    name = "classify",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Top classes of audio files from an earshot model with a classifier head.",
      "",
      "Scores are sigmoid probabilities (multi-label models) or softmax probabilities, as the model says.",
      "Inputs as for 'embed' (audio files/folders, or --features .npy). Unreadable inputs are reported and",
      "skipped (with --json also as {\"skipped\": \"FILE: reason\"} entries; exit status 2), the others classified."
    })
final class ClassifyCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "DIR", description = "An earshot model directory.")
  Path model;

  @Parameters(arity = "1..*", paramLabel = "IN", description = "Audio files/folders, or .npy with --features.")
  List<Path> inputs;

  @Option(names = "--top-k", paramLabel = "N", defaultValue = "5", description = "Classes per clip (default 5).")
  int topK;

  @Option(names = "--json", description = "JSON output.")
  boolean json;

  @Option(names = "--logits", paramLabel = "OUT.npy", description = "Also write all logits (clips, classes).")
  Path logitsOut;

  @Option(names = "--features", description = "Inputs are normalised filterbank .npy files.")
  boolean features;

  @Option(names = "--batch-size", paramLabel = "N", defaultValue = "16", description = "Maximum batch (default 16).")
  int batchSize;

  @Override
  public Integer call() throws Exception {
    OptionChecks.atLeast("--top-k", topK, 1);
    OptionChecks.atLeast("--batch-size", batchSize, 1);
    OptionChecks.outputFile(logitsOut);
    var out = spec.commandLine().getOut();
    var err = spec.commandLine().getErr();
    try (AudioClassifier classifier = AudioClassifier.open(model, batchSize)) {
      ModelInputs.Loaded loaded = ModelInputs.load(inputs, features, classifier.spec().frontEnd(), err);
      loaded.skipped().forEach(s -> err.println("earshot: skipped " + s));
      if (loaded.clips().isEmpty()) {
        throw new EarshotException("no input could be read");
      }
      List<float[][]> feats = new ArrayList<>();
      loaded.clips().forEach(c -> feats.add(c.features()));
      List<float[]> logits = classifier.logitsAll(feats);
      ObjectMapper mapper = new ObjectMapper();
      ArrayNode array = mapper.createArrayNode();
      for (int i = 0; i < logits.size(); i++) {
        List<Prediction> top = classifier.top(classifier.scores(logits.get(i)), topK);
        String name = loaded.clips().get(i).name();
        if (json) {
          ObjectNode node = array.addObject();
          node.put("input", name);
          ArrayNode preds = node.putArray("predictions");
          for (Prediction p : top) {
            preds.addObject().put("label", p.label()).put("index", p.index()).put("score", p.score());
          }
        } else {
          out.println(name);
          for (Prediction p : top) {
            out.printf(Locale.ROOT, "  %.4f  %s%n", p.score(), p.label());
          }
        }
      }
      if (json) {
        for (String s : loaded.skipped()) {
          array.addObject().put("skipped", s);
        }
        out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(array));
      }
      if (logitsOut != null) {
        int classes = logits.get(0).length;
        float[] flat = new float[logits.size() * classes];
        for (int i = 0; i < logits.size(); i++) {
          System.arraycopy(logits.get(i), 0, flat, i * classes, classes);
        }
        Npy.write(logitsOut, NpyArray.ofFloats(flat, logits.size(), classes));
      }
      out.flush();
      return loaded.skipped().isEmpty() ? 0 : 2;
    }
  }
}
