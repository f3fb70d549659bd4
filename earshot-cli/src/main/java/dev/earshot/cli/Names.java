package dev.earshot.cli;

import dev.earshot.features.Normalization;
import dev.earshot.recipe.Protocol;
import java.util.Iterator;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Completion candidates of options that take a name from a fixed list but also other values. */
final class Names {
  private Names() {}

  /** Normalisation presets. */
  static final class NormalizationPresets implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return Normalization.PRESETS.iterator();
    }
  }

  /** A protocol name, checked when the command line is parsed. */
  static final class ProtocolName implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      if (!Protocol.NAMES.contains(value)) {
        throw new TypeConversionException("'" + value + "' is not one of " + String.join(", ", Protocol.NAMES));
      }
      return value;
    }
  }

  /** Evaluation protocols. */
  static final class Protocols implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return Protocol.NAMES.iterator();
    }
  }
}
