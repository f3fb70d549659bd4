package dev.earshot.tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * A parsed NumPy-style index: comma-separated parts, each an integer (selects and drops the axis), a slice
 * {@code a:b} / {@code a:} / {@code :b} / {@code :} (negative bounds count from the end), with {@code {}}
 * placeholders filled from arguments in order. Example: {@code ":, {}:, :"} with 1.
 */
final class IndexSpec {
  /** One axis of the index: a single position, or a half-open range. */
  record Part(boolean single, long start, Long end) {}

  private IndexSpec() {}

  static List<Part> parse(String spec, Object... args) {
    String text = spec;
    int a = 0;
    StringBuilder filled = new StringBuilder();
    for (int i = 0; i < text.length(); i++) {
      if (text.startsWith("{}", i)) {
        if (a >= args.length) {
          throw new IllegalArgumentException("index '" + spec + "' has more {} than arguments");
        }
        filled.append(args[a++]);
        i++;
      } else {
        filled.append(text.charAt(i));
      }
    }
    if (a != args.length) {
      throw new IllegalArgumentException("index '" + spec + "' has fewer {} than arguments");
    }
    List<Part> parts = new ArrayList<>();
    for (String raw : filled.toString().split(",", -1)) {
      String p = raw.trim();
      if (p.isEmpty()) {
        throw new IllegalArgumentException("empty part in index '" + spec + "'");
      }
      int colon = p.indexOf(':');
      if (colon < 0) {
        parts.add(new Part(true, Long.parseLong(p), null));
      } else {
        String from = p.substring(0, colon).trim();
        String to = p.substring(colon + 1).trim();
        parts.add(new Part(false, from.isEmpty() ? 0 : Long.parseLong(from), to.isEmpty() ? null : Long.parseLong(to)));
      }
    }
    return parts;
  }
}
