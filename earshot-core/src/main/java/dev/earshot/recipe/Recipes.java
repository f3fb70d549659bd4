package dev.earshot.recipe;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.earshot.ConfigException;
import dev.earshot.io.Json;
import dev.earshot.pretrain.PretrainingMethod;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Loads YAML recipes (built in under {@code /recipes/NAME.yaml} on the classpath, or a file), merges
 * command-line overrides into them, and binds the result to a recipe record. Unknown keys are errors that
 * name the key and the recipe.
 */
public final class Recipes {
  private static final ObjectMapper YAML = Json.configure(new ObjectMapper(new YAMLFactory()));

  /** {@link PretrainRecipe#settings()}: bound from the method sections, never a key of its own. */
  private static final String SETTINGS = "settings";

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

  /**
   * Binds a pretraining recipe: the section named after each registered method to that method's settings type,
   * the other keys to {@link PretrainRecipe}; {@code source} names the recipe in errors.
   */
  public static PretrainRecipe pretrain(Map<String, Object> tree, String source) {
    Map<String, Object> common = new LinkedHashMap<>(tree);
    Map<String, Object> sections = new LinkedHashMap<>();
    for (PretrainingMethod<?> m : PretrainingMethods.all()) {
      Object section = common.remove(m.name());
      if (section == null) {
        continue;
      }
      if (!(section instanceof Map<?, ?> keys)) {
        throw new ConfigException(source + ": '" + m.name() + "' must be a section of keys, got '" + section + "'");
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> typed = (Map<String, Object>) keys;
      sections.put(m.name(), bind(typed, m.profile().settingsType(), source, m.name() + "."));
    }
    if (common.containsKey(SETTINGS)) { // the record's own field for the sections above, not a recipe key
      throw new ConfigException(source + ": unknown key '" + SETTINGS + "' (method settings go under the method's"
          + " name: " + PretrainingMethods.names() + ")");
    }
    return bind(common, PretrainRecipe.class, source).withSettings(sections);
  }

  /** Binds {@code tree} to {@code type}; {@code source} names the recipe in errors. */
  public static <T> T bind(Map<String, Object> tree, Class<T> type, String source) {
    return bind(tree, type, source, "");
  }

  private static <T> T bind(Map<String, Object> tree, Class<T> type, String source, String keyPrefix) {
    try {
      return YAML.convertValue(tree, type);
    } catch (IllegalArgumentException e) {
      Throwable cause = e.getCause();
      if (cause instanceof UnrecognizedPropertyException u) {
        throw new ConfigException(source + ": unknown key '" + keyPrefix + u.getPropertyName() + "' (known: "
            + known(u, type, keyPrefix) + ")", e);
      }
      for (Throwable t = cause; t != null; t = t.getCause()) {
        if (t instanceof ConfigException c) { // a record's own check (a range, a required key)
          throw new ConfigException(source + ": " + keyPrefix + c.getMessage(), c);
        }
      }
      throw new ConfigException(source + ": " + keyPrefix + (cause == null ? e.getMessage() : cause.getMessage()), e);
    }
  }

  /** The keys Jackson knows, plus the method sections where the pretraining recipe's own keys are listed. */
  private static String known(UnrecognizedPropertyException u, Class<?> type, String keyPrefix) {
    List<Object> known = new ArrayList<>(u.getKnownPropertyIds());
    if (type == PretrainRecipe.class && keyPrefix.isEmpty()) {
      known.remove(SETTINGS);
      known.addAll(PretrainingMethods.names());
    }
    return known.toString();
  }
}
