package dev.earshot.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.earshot.infer.AudioClassifier;
import dev.earshot.infer.Prediction;
import dev.earshot.io.Json;
import dev.earshot.io.Npy;
import dev.earshot.io.NpyArray;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Mixin;
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
      "skipped (exit status 2)."
    })
final class ClassifyCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin ModelInputOptions input;
  @Mixin ExecutionOptions compute;

  @Option(names = "--top-k", paramLabel = "N", defaultValue = "5",
      description = "Classes per clip (default: ${DEFAULT-VALUE}).")
  int topK;

  @Option(names = "--json", description = "JSON output.")
  boolean json;

  @Option(names = "--logits", paramLabel = "OUT.npy", description = "Also write all logits (clips, classes).")
  Path logitsOut;


  @Override
  public Integer call() throws Exception {
    var out = spec.commandLine().getOut();
    var err = spec.commandLine().getErr();
    try (AudioClassifier classifier = AudioClassifier.open(input.model, input.batchSize, compute.execution())) {
      ModelInputs.Loaded loaded = input.load(classifier.spec().frontEnd(), err);
      List<float[][]> feats = new ArrayList<>();
      loaded.clips().forEach(c -> feats.add(c.features()));
      List<float[]> logits = classifier.logitsAll(feats);
      ArrayNode array = Json.array();
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
        out.println(Json.pretty(array));
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
