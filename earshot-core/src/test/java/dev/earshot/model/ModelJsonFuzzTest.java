package dev.earshot.model;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.earshot.EarshotException;
import java.nio.file.Path;

/**
 * Coverage-guided fuzz target for model.json: parsing, validation and the footprint check that runs before a
 * model is built (against a 4 GB budget here). A typed {@link EarshotException} is an accepted outcome;
 * anything else is a finding. Committed inputs live in {@code ModelJsonFuzzTestInputs/}.
 */
class ModelJsonFuzzTest {
  private static final Path FILE = Path.of("fuzz/model.json");

  @FuzzTest(maxDuration = "8s")
  void modelJson(byte[] data) {
    check(data);
  }

  /** Entry point of the standalone driver (long runs). */
  public static final class Manifest {
    /** Loads (and instruments) Jackson and the records before the timed executions start. */
    public static void fuzzerInitialize() throws Exception {
      AudioTransformerConfig c = ModelRegistry.get("ssast-micro-patch", 64, 2);
      check(dev.earshot.io.Json.bytes(new ModelDirectory.Manifest(ModelDirectory.FORMAT,
          ModelDirectory.VERSION, ModelDirectory.AUDIO_TRANSFORMER, c, null, PretrainedSpec.ast(
              dev.earshot.features.Normalization.AUDIOSET, 64, java.util.List.of("a", "b"), OutputActivation.SOFTMAX,
              "warm-up"), null, null)));
    }

    public static void fuzzerTestOneInput(byte[] data) {
      check(data);
    }
  }

  static void check(byte[] data) {
    try {
      ModelDirectory.Manifest m = ModelDirectory.parseManifest(FILE, data);
      ModelFootprint.of(m).require(FILE, 4L << 30);
    } catch (EarshotException expected) {
      // refused with a typed error
    }
  }
}
