package dev.earshot.interop;

import dev.earshot.io.HostTensor;
import dev.earshot.model.AudioTransformerConfig;
import dev.earshot.model.ModelDirectory;
import dev.earshot.model.PretrainedSpec;
import dev.earshot.model.Provenance;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A converted checkpoint: the architecture it implies, its preprocessing, its weights under earshot's
 * parameter paths, and human-readable notes (what was inferred, adapted or ignored, and why).
 */
public record ImportedModel(AudioTransformerConfig config, PretrainedSpec spec, Map<String, HostTensor> weights,
    List<String> notes) {

  /** Writes the model directory, with the imported file as its provenance. */
  public void writeTo(Path dir) throws IOException {
    ModelDirectory.write(dir, ModelDirectory.Manifest.of(config, spec)
        .withProvenance(Provenance.of("import", null, null, spec.source(), null)), weights);
  }
}
