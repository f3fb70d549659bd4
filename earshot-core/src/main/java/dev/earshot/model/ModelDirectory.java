package dev.earshot.model;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.earshot.ConfigException;
import dev.earshot.io.CheckpointFormatException;
import dev.earshot.io.HostTensor;
import dev.earshot.io.Safetensors;
import dev.earshot.nn.StateDict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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

  static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  private ModelDirectory() {}

  /** The manifest: format tag, version, architecture and preprocessing. */
  public record Manifest(String format, int version, String architecture, AudioTransformerConfig config,
      PretrainedSpec spec) {}

  /** Writes a model directory (manifest and weights, each atomically). */
  public static void write(Path dir, AudioTransformerConfig config, PretrainedSpec spec,
      Map<String, HostTensor> weights) throws IOException {
    Files.createDirectories(dir);
    Safetensors.write(dir.resolve(WEIGHTS), weights, Map.of("format", "pt", "producer", "earshot"));
    Manifest m = new Manifest(FORMAT, VERSION, "audio-transformer", config, spec);
    Path tmp = Files.createTempFile(dir, "." + MANIFEST, ".tmp");
    try {
      JSON.writeValue(tmp.toFile(), m);
      Files.move(tmp, dir.resolve(MANIFEST), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Writes {@code model}'s current weights with {@code spec}. */
  public static void write(Path dir, AudioTransformer model, PretrainedSpec spec) throws IOException {
    write(dir, model.config(), spec, StateDict.of(model));
  }

  public static Manifest readManifest(Path dir) {
    Path file = dir.resolve(MANIFEST);
    if (!Files.isDirectory(dir)) {
      throw new CheckpointFormatException(dir, "not a model directory (expected a folder with " + MANIFEST + ")");
    }
    try {
      Manifest m = JSON.readValue(file.toFile(), Manifest.class);
      if (!FORMAT.equals(m.format())) {
        throw new CheckpointFormatException(file, "not an earshot model manifest (format '" + m.format() + "')");
      }
      if (m.version() != VERSION) {
        throw new CheckpointFormatException(file, "manifest version " + m.version() + " is not supported (" + VERSION + ")");
      }
      if (m.config() == null || m.spec() == null) {
        throw new CheckpointFormatException(file, "manifest lacks 'config' or 'spec'");
      }
      return m;
    } catch (NoSuchFileException | java.io.FileNotFoundException e) {
      throw new CheckpointFormatException(dir, "not a model directory: " + MANIFEST + " is missing", e);
    } catch (ConfigException e) {
      throw new CheckpointFormatException(file, "invalid model configuration: " + e.getMessage(), e);
    } catch (IOException e) {
      Throwable root = e.getCause() instanceof ConfigException c ? c : e;
      throw new CheckpointFormatException(file, "malformed manifest: " + root.getMessage(), e);
    }
  }

  /** The weights of a model directory. */
  public static Map<String, HostTensor> readWeights(Path dir) {
    return Safetensors.read(dir.resolve(WEIGHTS)).tensors();
  }

  /** Builds the model described by {@code dir} in {@code manager} and loads its weights (strictly). */
  public static AudioTransformer load(Path dir, NDManager manager) {
    Manifest m = readManifest(dir);
    AudioTransformer model = new AudioTransformer(manager, m.config(), 0);
    StateDict.load(model, readWeights(dir), dir.resolve(WEIGHTS));
    model.setTraining(false);
    return model;
  }
}
