package dev.earshot.model;

import dev.earshot.io.HostTensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A model rebuilt for another input length: the same weights on a longer or shorter patch grid, with learned
 * position tables adapted as SSAST does ({@link PositionAdaptation}); sin-cos positions and MAST's relative
 * tables need nothing.
 */
public final class InputLength {
  private InputLength() {}

  /** Writes the model of {@code dir} rebuilt for inputs of {@code frames} frames to {@code out}. */
  public static void write(Path dir, int frames, Path out) throws IOException {
    ModelDirectory.Manifest m = ModelDirectory.readManifest(dir);
    Map<String, HostTensor> weights = ModelDirectory.readWeights(dir);
    PretrainedSpec spec = m.spec().withTargetFrames(frames);
    if (m.usesMultiscale()) {
      ModelDirectory.write(out, ModelDirectory.Manifest.of(m.multiscale().withFrames(frames), spec)
          .withProvenance(m.provenance()).withReadout(m.readout()), weights);
      return;
    }
    AudioTransformerConfig from = m.config();
    PatchGrid g = from.grid();
    PatchGrid grid = new PatchGrid(frames, g.inputBins(), g.patchFrames(), g.patchBins(), g.strideFrames(),
        g.strideBins(), g.order());
    AudioTransformerConfig to = from.toBuilder().grid(grid)
        .maxTimePatches(from.positions() == PositionEncoding.SINCOS_2D
            ? Math.max(from.maxTimePatches(), grid.timePatches()) : from.maxTimePatches())
        .build();
    ModelDirectory.write(out, ModelDirectory.Manifest.of(to, spec).withProvenance(m.provenance())
        .withReadout(m.readout()),
        adaptPositions(weights, from, to));
  }

  /** SSAST's position adaptation of {@code weights} when {@code to}'s grid differs from {@code from}'s. */
  public static Map<String, HostTensor> adaptPositions(Map<String, HostTensor> weights, AudioTransformerConfig from,
      AudioTransformerConfig to) {
    if (from.positions() != PositionEncoding.LEARNED) {
      return weights;
    }
    PatchGrid a = from.grid();
    PatchGrid b = to.grid();
    if (a.freqPatches() == b.freqPatches() && a.timePatches() == b.timePatches()) {
      return weights;
    }
    Map<String, HostTensor> out = new LinkedHashMap<>(weights);
    HostTensor pos = weights.get("pos_embed");
    int d = from.embedDim();
    float[] adapted = a.order() == TokenOrder.FREQUENCY_MAJOR
        ? PositionAdaptation.adapt(pos.floats(), d, from.specialTokens(), a.freqPatches(), a.timePatches(),
            b.freqPatches(), b.timePatches())
        : PositionAdaptation.adaptTimeMajor(pos.floats(), d, from.specialTokens(), a.freqPatches(), a.timePatches(),
            b.freqPatches(), b.timePatches());
    out.put("pos_embed", HostTensor.ofFloats(adapted, 1, from.specialTokens() + b.numPatches(), d));
    return out;
  }
}
