package dev.earshot.cli;

import dev.earshot.model.ModelRegistry;
import java.util.Iterator;

/** Completion candidates of options that name an architecture: every {@link ModelRegistry} name. */
final class ModelNames implements Iterable<String> {
  @Override
  public Iterator<String> iterator() {
    return ModelRegistry.names().iterator();
  }
}
