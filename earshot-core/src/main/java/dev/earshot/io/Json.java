package dev.earshot.io;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;

/**
 * earshot's one JSON mapper: model manifests, checkpoint state, metrics lines, results and reports are read and
 * written with the same rules. Binding to a type is strict — an unknown property or a missing primitive is an
 * error that names it, never a silently ignored typo or a zero — and documents are written indented
 * ({@link #write}), lines compact ({@link #line}). The recipes' YAML mapper takes the same rules through
 * {@link #configure}.
 */
public final class Json {
  private static final ObjectMapper MAPPER = configure(new ObjectMapper());
  private static final ObjectWriter PRETTY = MAPPER.writerWithDefaultPrettyPrinter();

  private Json() {}

  /** Applies earshot's binding rules to {@code mapper} (JSON, or another format's mapper such as YAML's). */
  public static <M extends ObjectMapper> M configure(M mapper) {
    mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    mapper.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    return mapper;
  }

  /** The file bound to {@code type}. */
  public static <T> T read(Path file, Class<T> type) throws IOException {
    return MAPPER.readValue(file.toFile(), type);
  }

  /** A JSON document held in memory, bound to {@code type}. */
  public static <T> T read(byte[] json, Class<T> type) throws IOException {
    return MAPPER.readValue(json, type);
  }

  /** {@code text} bound to {@code type}. */
  public static <T> T read(String text, TypeReference<T> type) throws IOException {
    return MAPPER.readValue(text, type);
  }

  /** The file as a tree. */
  public static JsonNode tree(Path file) throws IOException {
    return MAPPER.readTree(file.toFile());
  }

  /** {@code text} as a tree. */
  public static JsonNode tree(String text) throws IOException {
    return MAPPER.readTree(text);
  }

  /** {@code value} converted to {@code type} (e.g. a record to a map, or a map to a record). */
  public static <T> T convert(Object value, Class<T> type) {
    return MAPPER.convertValue(value, type);
  }

  /** An empty object node. */
  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  /** An empty array node. */
  public static ArrayNode array() {
    return MAPPER.createArrayNode();
  }

  /** {@code value} written to {@code file} as an indented document. */
  public static void write(Path file, Object value) throws IOException {
    PRETTY.writeValue(file.toFile(), value);
  }

  /** {@code value} as an indented document. */
  public static String pretty(Object value) throws IOException {
    return PRETTY.writeValueAsString(value);
  }

  /** {@code value} on one line (JSONL rows, headers). */
  public static String line(Object value) throws IOException {
    return MAPPER.writeValueAsString(value);
  }

  /** {@code value} on one line, as UTF-8 bytes. */
  public static byte[] bytes(Object value) throws IOException {
    return MAPPER.writeValueAsBytes(value);
  }
}
