package dev.earshot.recipe;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.earshot.ConfigException;
import dev.earshot.io.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Loads YAML recipes (built in under {@code /recipes/NAME.yaml} on the classpath, or a file), merges
 * command-line overrides into them, and binds the result to a recipe record. Unknown keys are errors that
 * name the key and the recipe.
 */
public final class Recipes {
  private static final ObjectMapper YAML = Json.configure(new ObjectMapper(new YAMLFactory()));

  private Recipes() {}

  /** The recipe {@code nameOrPath} as a key/value tree (a file path, or the name of a built-in recipe). */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> load(String nameOrPath) {
    Path file = Path.of(nameOrPath);
    try {
      if (Files.exists(file)) {
        Map<String, Object> m = YAML.readValue(file.toFile(), LinkedHashMap.class);
        return m == null ? new LinkedHashMap<>() : m;
      }
      try (InputStream in = Recipes.class.getResourceAsStream("/recipes/" + nameOrPath.replaceAll("\\.ya?ml$", "") + ".yaml")) {
        if (in == null) {
          throw new ConfigException("--recipe: no file or built-in recipe named '" + nameOrPath + "'");
        }
        Map<String, Object> m = YAML.readValue(in, LinkedHashMap.class);
        return m == null ? new LinkedHashMap<>() : m;
      }
    } catch (IOException e) {
      throw new ConfigException("--recipe " + nameOrPath + ": malformed YAML: " + e.getMessage(), e);
    }
  }

  /** {@code base} with {@code overrides} applied (nested maps merged key by key; null overrides ignored). */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> overrides) {
    Map<String, Object> out = new LinkedHashMap<>(base);
    for (Map.Entry<String, Object> e : overrides.entrySet()) {
      if (e.getValue() == null) {
        continue;
      }
      if (e.getValue() instanceof Map<?, ?> m && out.get(e.getKey()) instanceof Map<?, ?> b) {
        out.put(e.getKey(), merge((Map<String, Object>) b, (Map<String, Object>) m));
      } else {
        out.put(e.getKey(), e.getValue());
      }
    }
    return out;
  }

  /** Binds {@code tree} to {@code type}; {@code source} names the recipe in errors. */
  public static <T> T bind(Map<String, Object> tree, Class<T> type, String source) {
    try {
      return YAML.convertValue(tree, type);
    } catch (IllegalArgumentException e) {
      Throwable cause = e.getCause();
      if (cause instanceof UnrecognizedPropertyException u) {
        throw new ConfigException(source + ": unknown key '" + u.getPropertyName() + "' (known: "
            + u.getKnownPropertyIds() + ")", e);
      }
      if (cause instanceof ConfigException c) {
        throw c;
      }
      throw new ConfigException(source + ": " + (cause == null ? e.getMessage() : cause.getMessage()), e);
    }
  }
}
