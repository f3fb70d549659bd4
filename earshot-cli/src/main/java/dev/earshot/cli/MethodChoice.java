package dev.earshot.cli;

import dev.earshot.pretrain.PretrainingMethod;
import dev.earshot.recipe.PretrainingMethods;
import java.util.Iterator;
import picocli.CommandLine.ITypeConverter;

/**
 * {@code --method} values: the registered pretraining methods, converted by name and listed as completion
 * candidates (so {@code --help} and shell completion follow the registry).
 */
final class MethodChoice implements ITypeConverter<PretrainingMethod<?>>, Iterable<String> {
  @Override
  public PretrainingMethod<?> convert(String value) {
    return PretrainingMethods.get(value);
  }

  @Override
  public Iterator<String> iterator() {
    return PretrainingMethods.names().iterator();
  }
}
