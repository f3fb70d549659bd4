package dev.earshot.cli;

import dev.earshot.ConfigException;
import dev.earshot.audio.Mixdown;
import dev.earshot.features.TorchaudioFbankOptions;
import dev.earshot.features.WindowType;
import dev.earshot.interop.ImportSource;
import dev.earshot.model.OutputActivation;
import dev.earshot.model.Pooling;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * An option whose values are a closed set of constants, each written on the command line as its label: the
 * converter (case-insensitive) and the completion candidates ({@code ${COMPLETION-CANDIDATES}} in help texts,
 * shell completion) come from the same list. One subclass per option type.
 */
abstract class Choice<E extends Enum<E>> implements ITypeConverter<E>, Iterable<String> {
  private final Class<E> type;
  private final Function<E, String> label;

  Choice(Class<E> type, Function<E, String> label) {
    this.type = type;
    this.label = label;
  }

  /** Lower-case constant names, dashes for underscores. */
  Choice(Class<E> type) {
    this(type, e -> e.name().toLowerCase(Locale.ROOT).replace('_', '-'));
  }

  @Override
  public E convert(String value) {
    for (E e : type.getEnumConstants()) {
      if (label.apply(e).equalsIgnoreCase(value.strip())) {
        return e;
      }
    }
    throw new TypeConversionException("'" + value + "' is not one of " + String.join(", ", this));
  }

  @Override
  public Iterator<String> iterator() {
    return Arrays.stream(type.getEnumConstants()).map(label).collect(Collectors.toList()).iterator();
  }

  /** {@code average} or {@code first}. */
  static final class MixdownChoice extends Choice<Mixdown> {
    MixdownChoice() {
      super(Mixdown.class, m -> m == Mixdown.AVERAGE ? "average" : "first");
    }
  }

  /** Analysis windows by torchaudio's names (the same error as a recipe's {@code window_type}). */
  static final class WindowChoice extends Choice<WindowType> {
    WindowChoice() {
      super(WindowType.class);
    }

    @Override
    public WindowType convert(String value) {
      try {
        return TorchaudioFbankOptions.window(value);
      } catch (ConfigException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** {@code mean}, {@code cls}, {@code cls-dist}. */
  static final class PoolingChoice extends Choice<Pooling> {
    PoolingChoice() {
      super(Pooling.class, Pooling::label);
    }
  }

  /** {@code sigmoid} or {@code softmax}. */
  static final class ActivationChoice extends Choice<OutputActivation> {
    ActivationChoice() {
      super(OutputActivation.class);
    }
  }

  /** The checkpoint formats {@code import} reads. */
  static final class ImportSourceChoice extends Choice<ImportSource> {
    ImportSourceChoice() {
      super(ImportSource.class, ImportSource::cliName);
    }
  }
}
