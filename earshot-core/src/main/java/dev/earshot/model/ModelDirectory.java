package dev.earshot.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.earshot.tensor.TensorScope;
import dev.earshot.ConfigException;
import dev.earshot.io.AtomicFile;
import dev.earshot.io.CheckpointFormatException;
import dev.earshot.io.HostTensor;
import dev.earshot.io.Json;
import dev.earshot.io.Safetensors;
import dev.earshot.model.mast.MultiscaleConfig;
import dev.earshot.nn.StateDict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * An earshot model on disk: {@code model.json} (architecture + {@link PretrainedSpec}) and
 * {@code weights.safetensors} (float32, the model's own PyTorch-style parameter paths). Every command that
 * takes {@code --model DIR} reads this; importers and trainers write it.
 */
public final class ModelDirectory {
  public static final String MANIFEST = "model.json";
  public static final String WEIGHTS = "weights.safetensors";
  public static final String FORMAT = "earshot-model";
  public static final int VERSION = 1;

  private ModelDirectory() {}

  /** Architecture tags. */
  public static final String AUDIO_TRANSFORMER = "audio-transformer";
  public static final String MULTISCALE_TRANSFORMER = "multiscale-transformer";

  /**
   * The manifest: format tag, version, architecture, its configuration ({@code config} for the
   * audio-transformer family, {@code multiscale} for MAST), preprocessing, and where the weights came from
   * ({@code provenance}; absent in directories written before it was recorded, and in imports of old files), and
   * how its frozen clip embeddings are best read ({@code readout}: absent = the model's pooling of its final
   * output).
   */
  public record Manifest(String format, int version, String architecture, AudioTransformerConfig config,
      MultiscaleConfig multiscale, PretrainedSpec spec, Provenance provenance,
      @JsonInclude(JsonInclude.Include.NON_NULL) Readout readout) {

    /** An audio-transformer manifest. */
    public static Manifest of(AudioTransformerConfig config, PretrainedSpec spec) {
      return new Manifest(FORMAT, VERSION, AUDIO_TRANSFORMER, config, null, spec, null, null);
    }

    /** A MAST manifest. */
    public static Manifest of(MultiscaleConfig config, PretrainedSpec spec) {
      return new Manifest(FORMAT, VERSION, MULTISCALE_TRANSFORMER, null, config, spec, null, null);
    }

    /** The same manifest with {@code p} as its provenance. */
    public Manifest withProvenance(Provenance p) {
      return new Manifest(format, version, architecture, config, multiscale, spec, p, readout);
    }

    /** The same manifest with {@code r} as its readout (null: the model's pooling of its final output). */
    public Manifest withReadout(Readout r) {
      return new Manifest(format, version, architecture, config, multiscale, spec, provenance, r);
    }

    /** The readout frozen embeddings use by default: the recorded one, else {@link Readout#FINAL}. */
    public Readout readoutOrDefault() {
      return readout == null ? Readout.FINAL : readout;
    }

    /** True for a MAST model. */
    public boolean usesMultiscale() {
      return MULTISCALE_TRANSFORMER.equals(architecture);
    }

    /** The input length the model was built for. */
    public int inputFrames() {
      return usesMultiscale() ? multiscale.frames() : config.grid().inputFrames();
    }
  }

  /** Writes a model directory (manifest and weights, each atomically). */
  public static void write(Path dir, AudioTransformerConfig config, PretrainedSpec spec,
      Map<String, HostTensor> weights) throws IOException {
    write(dir, Manifest.of(config, spec), weights);
  }

  /** Writes {@code model}'s current weights with {@code spec} and {@code provenance}, whatever its architecture. */
  public static void write(Path dir, Encoder model, PretrainedSpec spec, Provenance provenance) throws IOException {
    write(dir, model.manifest(spec).withProvenance(provenance), StateDict.of(model));
  }

  /**
   * Writes {@code model} for inference and later fine-tuning: its weights under a configuration without
   * training-time regularisation ({@link Encoder#inferenceManifest}).
   */
  public static void export(Path dir, Encoder model, PretrainedSpec spec, Provenance provenance) throws IOException {
    export(dir, model, spec, provenance, null);
  }

  /** As {@link #export(Path, Encoder, PretrainedSpec, Provenance)}, recording how frozen embeddings are read. */
  public static void export(Path dir, Encoder model, PretrainedSpec spec, Provenance provenance, Readout readout)
      throws IOException {
    if (readout != null) {
      readout.requireLayersOf(model.depth());
    }
    write(dir, model.inferenceManifest(spec).withProvenance(provenance).withReadout(readout), StateDict.of(model));
  }

  /** Writes a model directory from a manifest and weights. */
  public static void write(Path dir, Manifest m, Map<String, HostTensor> weights) throws IOException {
    Files.createDirectories(dir);
    Safetensors.write(dir.resolve(WEIGHTS), weights, Map.of("format", "pt", "producer", "earshot"));
    AtomicFile.writeString(dir.resolve(MANIFEST), Json.pretty(m));
  }

  /** Reads and validates {@code dir}'s manifest (ranges, consistency); the model is not built. */
  public static Manifest readManifest(Path dir) {
    Path file = dir.resolve(MANIFEST);
    if (!Files.isDirectory(dir)) {
      throw new CheckpointFormatException(dir, "not a model directory (expected a folder with " + MANIFEST + ")");
    }
    byte[] json;
    try {
      if (Files.size(file) > MAX_MANIFEST_BYTES) {
        throw new CheckpointFormatException(file, "manifest of " + Files.size(file) + " bytes is larger than the "
            + MAX_MANIFEST_BYTES + " accepted");
      }
      json = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new CheckpointFormatException(dir, "not a model directory: " + MANIFEST + " is missing", e);
    } catch (IOException e) {
      throw new CheckpointFormatException(file, "cannot read: " + e.getMessage(), e);
    }
    return parseManifest(file, json);
  }

  /** Largest model.json accepted (a 527-label AudioSet manifest is about 20 KB). */
  static final long MAX_MANIFEST_BYTES = 16L << 20;

  /** Parses and validates a manifest's bytes; {@code file} names it in errors. */
  static Manifest parseManifest(Path file, byte[] json) {
    try {
      Manifest m = Json.read(json, Manifest.class);
      if (m == null) {
        throw new CheckpointFormatException(file, "empty manifest");
      }
      if (!FORMAT.equals(m.format())) {
        throw new CheckpointFormatException(file, "not an earshot model manifest (format '" + m.format() + "')");
      }
      if (m.version() != VERSION) {
        throw new CheckpointFormatException(file, "manifest version " + m.version() + " is not supported (" + VERSION + ")");
      }
      if (m.spec() == null || (m.usesMultiscale() ? m.multiscale() == null : m.config() == null)) {
        throw new CheckpointFormatException(file, "manifest lacks '" + (m.usesMultiscale() ? "multiscale" : "config")
            + "' or 'spec'");
      }
      if (!m.usesMultiscale() && !AUDIO_TRANSFORMER.equals(m.architecture())) {
        throw new CheckpointFormatException(file, "unknown architecture '" + m.architecture() + "' ("
            + AUDIO_TRANSFORMER + ", " + MULTISCALE_TRANSFORMER + ")");
      }
      requireConsistent(file, m);
      if (m.readout() != null) {
        m.readout().requireLayersOf(m.usesMultiscale() ? java.util.Arrays.stream(m.multiscale().depths()).sum()
            : m.config().depth());
      }
      return m;
    } catch (ConfigException e) {
      throw new CheckpointFormatException(file, "invalid model configuration: " + e.getMessage(), e);
    } catch (IOException e) {
      Throwable root = e.getCause() instanceof ConfigException c ? c : e;
      String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
      throw new CheckpointFormatException(file, "malformed manifest: " + message, e);
    }
  }

  /** The parts of a manifest must agree: labels with outputs, mel bins with the model's input. */
  private static void requireConsistent(Path file, Manifest m) {
    int classes = m.usesMultiscale() ? m.multiscale().numClasses() : m.config().numClasses();
    int bins = m.usesMultiscale() ? m.multiscale().bins() : m.config().grid().inputBins();
    if (!m.spec().labels().isEmpty() && m.spec().labels().size() != classes) {
      throw new CheckpointFormatException(file, "spec.labels names " + m.spec().labels().size()
          + " classes but the model has " + classes + " outputs");
    }
    if (m.spec().fbank().numMelBins() != bins) {
      throw new CheckpointFormatException(file, "spec.fbank has " + m.spec().fbank().numMelBins()
          + " mel bins but the model takes " + bins);
    }
  }

  /** The weights of a model directory. */
  public static Map<String, HostTensor> readWeights(Path dir) {
    return Safetensors.read(dir.resolve(WEIGHTS)).tensors();
  }

  /** Builds the model described by {@code dir} in {@code manager} and loads its weights (strictly). */
  public static Encoder load(Path dir, TensorScope manager) {
    Manifest m = readManifest(dir);
    ModelFootprint.of(m).require(dir.resolve(MANIFEST), ModelFootprint.nativeBudget());
    Encoder model = build(m, manager, 0);
    StateDict.load(model, readWeights(dir), dir.resolve(WEIGHTS));
    model.setTraining(false);
    return model;
  }

  /**
   * A freshly initialised model of the manifest's architecture. Callers building from an untrusted manifest
   * check its {@link ModelFootprint} first ({@link #load} does).
   */
  public static Encoder build(Manifest m, TensorScope manager, long seed) {
    return m.usesMultiscale() ? new MultiscaleTransformer(manager, m.multiscale(), seed)
        : new AudioTransformer(manager, m.config(), seed);
  }
}
