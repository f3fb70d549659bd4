package dev.earshot.interop;

import dev.earshot.io.CheckpointFormatException;
import dev.earshot.io.HostTensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A declarative map from a foreign checkpoint's keys to earshot's parameter paths. Each rule either renames
 * (a regular expression and a replacement with {@code $1}-style groups), consumes (the importer reads the
 * value into the configuration) or ignores (with the reason, e.g. "SSAST pretraining head"). The first
 * matching rule wins; a key that no rule accounts for fails the import, so nothing is dropped silently.
 */
public final class KeyMapping {
  private enum Kind { RENAME, CONSUME, IGNORE }

  private record Rule(Pattern pattern, Kind kind, String replacement) {}

  private final List<Rule> rules = new ArrayList<>();

  /** {@code regex} (matching the whole key) becomes {@code replacement}. */
  public KeyMapping rename(String regex, String replacement) {
    rules.add(new Rule(Pattern.compile(regex), Kind.RENAME, replacement));
    return this;
  }

  /** Keys matching {@code regex} are read by the importer itself (they configure, not parameterise). */
  public KeyMapping consume(String regex, String why) {
    rules.add(new Rule(Pattern.compile(regex), Kind.CONSUME, why));
    return this;
  }

  /** Keys matching {@code regex} are dropped on purpose; {@code reason} documents why. */
  public KeyMapping ignore(String regex, String reason) {
    rules.add(new Rule(Pattern.compile(regex), Kind.IGNORE, reason));
    return this;
  }

  /** The result of applying the mapping: renamed tensors and what was ignored, per reason. */
  public record Result(Map<String, HostTensor> mapped, Map<String, List<String>> ignored) {}

  /** Applies the rules to every key of {@code source}; fails on keys no rule accounts for. */
  public Result apply(Map<String, HostTensor> source, Path file) {
    Map<String, HostTensor> mapped = new LinkedHashMap<>();
    Map<String, List<String>> ignored = new LinkedHashMap<>();
    List<String> unaccounted = new ArrayList<>();
    for (Map.Entry<String, HostTensor> e : source.entrySet()) {
      Rule rule = null;
      Matcher m = null;
      for (Rule r : rules) {
        Matcher candidate = r.pattern().matcher(e.getKey());
        if (candidate.matches()) {
          rule = r;
          m = candidate;
          break;
        }
      }
      if (rule == null) {
        unaccounted.add(e.getKey());
        continue;
      }
      switch (rule.kind()) {
        case RENAME -> {
          String target = m.replaceFirst(rule.replacement());
          if (mapped.put(target, e.getValue()) != null) {
            throw new CheckpointFormatException(file, "two keys map to '" + target + "'");
          }
        }
        case IGNORE -> ignored.computeIfAbsent(rule.replacement(), k -> new ArrayList<>()).add(e.getKey());
        case CONSUME -> { }
        default -> throw new IllegalStateException();
      }
    }
    if (!unaccounted.isEmpty()) {
      throw new CheckpointFormatException(file, "no import rule accounts for " + unaccounted.size() + " key(s): "
          + (unaccounted.size() > 10 ? unaccounted.subList(0, 10) + " ..." : unaccounted)
          + " (is this the right --from format?)");
    }
    return new Result(mapped, ignored);
  }
}
