package dev.earshot.tensor;

import java.util.List;

/**
 * A NumPy-style index for {@link Tensor#get(Index)} and {@link Tensor#set(Index, Tensor)}: comma-separated
 * parts, each an integer (selects and drops that axis) or a slice {@code a:b}, {@code a:}, {@code :b},
 * {@code :} (negative bounds count from the end); {@code {}} placeholders take the arguments in order.
 * {@code Index.of(":, {}:, :", 1)} is {@code x[:, 1:, :]}.
 */
public final class Index {
  final List<IndexSpec.Part> parts;
  private final String text;

  private Index(String text, List<IndexSpec.Part> parts) {
    this.text = text;
    this.parts = parts;
  }

  public static Index of(String spec, Object... args) {
    return new Index(spec, IndexSpec.parse(spec, args));
  }

  @Override
  public String toString() {
    return "[" + text + "]";
  }
}
