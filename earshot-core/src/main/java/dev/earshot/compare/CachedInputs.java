package dev.earshot.compare;

import com.fasterxml.jackson.databind.JsonNode;
import dev.earshot.ConfigException;
import dev.earshot.io.AtomicFile;
import dev.earshot.io.Json;
import dev.earshot.model.ModelDirectory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a cached comparison result (or a derived encoder) was computed from, kept beside it as
 * {@value #FILE} so that a rerun reuses it only for the same inputs: the encoder's weights (by digest), its
 * readout, the fine-tuning recipe, the input length. A rerun with a longer pretraining, another readout or other
 * fine-tuning epochs in the same output folder would otherwise read back numbers of the old settings as if they
 * were the new ones.
 *
 * <p>Result folders written before this file existed carry none and are accepted as they are (their input
 * length is still checked by {@link ResultCache}); derived encoders without one are rebuilt ({@link #matches}).
 *
 * @param values input name to its value, in the order written
 */
public record CachedInputs(Map<String, String> values) {
  /** The file's name in a result's folder. */
  public static final String FILE = "inputs.json";

  public CachedInputs {
    values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  /** Inputs from name/value pairs, e.g. {@code of("frames", "512", "readout", "...")}. */
  public static CachedInputs of(String... nameValuePairs) {
    if (nameValuePairs.length % 2 != 0) {
      throw new IllegalArgumentException("name/value pairs expected, got " + nameValuePairs.length + " strings");
    }
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < nameValuePairs.length; i += 2) {
      m.put(nameValuePairs[i], nameValuePairs[i + 1]);
    }
    return new CachedInputs(m);
  }

  /** These inputs and one more. */
  public CachedInputs with(String name, String value) {
    Map<String, String> m = new LinkedHashMap<>(values);
    m.put(name, value);
    return new CachedInputs(m);
  }

  /** The inputs recorded in {@code dir}, or null when it has none. */
  public static CachedInputs recorded(Path dir) {
    Path file = dir.resolve(FILE);
    if (!Files.exists(file)) {
      return null;
    }
    try {
      JsonNode root = Json.tree(file);
      Map<String, String> m = new LinkedHashMap<>();
      root.properties().forEach(e -> m.put(e.getKey(), e.getValue().asText()));
      return new CachedInputs(m);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Records these inputs in {@code dir} (atomically; before the result they describe). */
  public void write(Path dir) {
    try {
      Files.createDirectories(dir);
      AtomicFile.writeString(dir.resolve(FILE), Json.pretty(values));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * True when {@code dir} records exactly these inputs: what a derived encoder must show to be reused (one with
   * no record, written before records existed, is rebuilt — it is cheap and deterministic).
   */
  public boolean matches(Path dir) {
    CachedInputs old = recorded(dir);
    return old != null && firstDifference(old) == null;
  }

  /**
   * Refuses a result in {@code dir} computed from other inputs, naming the folder, the input and both values.
   *
   * @throws ConfigException if {@code dir} records different inputs
   */
  public void requireSameAs(Path dir) {
    CachedInputs old = recorded(dir);
    String name = firstDifference(old);
    if (name != null) {
      throw new ConfigException(dir + ": computed with " + name + " = " + shown(old.values.get(name))
          + ", but this comparison asks for " + shown(values.get(name))
          + "; use another --out (or remove the folder) to recompute");
    }
  }

  /**
   * The first input whose value differs from {@code old}'s — these inputs in their order, then any only
   * {@code old} has — or null (also when old is null).
   */
  private String firstDifference(CachedInputs old) {
    if (old == null) {
      return null;
    }
    Set<String> names = new LinkedHashSet<>(values.keySet());
    names.addAll(old.values.keySet());
    for (String name : names) {
      if (!Objects.equals(values.get(name), old.values.get(name))) {
        return name;
      }
    }
    return null;
  }

  private static String shown(String value) {
    if (value == null) {
      return "(not recorded)";
    }
    return value.length() > 200 ? value.substring(0, 200) + "..." : value;
  }

  /** The SHA-256 (hex) of a model directory's weights file: which encoder a result was computed from. */
  public static String weightsDigest(Path modelDir) {
    try (InputStream in = Files.newInputStream(modelDir.resolve(ModelDirectory.WEIGHTS))) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        md.update(buffer, 0, n);
      }
      return "sha256:" + HexFormat.of().formatHex(md.digest());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
