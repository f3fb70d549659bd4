package dev.earshot.audio;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/** The {@link ExternalDecoder}s on the class path, looked up once. */
final class ExternalDecoders {
  private static final List<ExternalDecoder> ALL = load();

  private ExternalDecoders() {}

  private static List<ExternalDecoder> load() {
    List<ExternalDecoder> found = new ArrayList<>();
    for (ExternalDecoder d : ServiceLoader.load(ExternalDecoder.class, ExternalDecoders.class.getClassLoader())) {
      found.add(d);
    }
    return List.copyOf(found);
  }

  /** The first decoder found, if any. */
  static Optional<ExternalDecoder> first() {
    return ALL.isEmpty() ? Optional.empty() : Optional.of(ALL.get(0));
  }

  static List<ExternalDecoder> all() {
    return ALL;
  }
}
