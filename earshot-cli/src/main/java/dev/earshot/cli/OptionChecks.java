package dev.earshot.cli;

import dev.earshot.ConfigException;
import dev.earshot.io.OutputPath;
import java.nio.file.Path;

/**
 * Semantic checks of command-line values that picocli's types cannot express (a batch of at least one clip, a
 * positive rate), and of output paths, run before any long work starts. Each failure is a
 * {@link ConfigException} naming the option: one line on standard error, exit status 2.
 */
final class OptionChecks {
  private OptionChecks() {}

  /** {@code value} (if given) is at least {@code min}. */
  static void atLeast(String option, Number value, long min) {
    if (value != null && value.longValue() < min) {
      throw new ConfigException(option + ": must be at least " + min + ", got " + value);
    }
  }

  /** {@code value} (if given) is a finite number above 0. */
  static void positive(String option, Number value) {
    if (value != null && !(value.doubleValue() > 0 && Double.isFinite(value.doubleValue()))) {
      throw new ConfigException(option + ": must be a positive number, got " + value);
    }
  }

  /** {@code value} (if given) lies in [0, 1) ({@code openAtZero}: in (0, 1)). */
  static void fraction(String option, Double value, boolean openAtZero) {
    if (value != null && !((openAtZero ? value > 0 : value >= 0) && value < 1)) {
      throw new ConfigException(option + ": must be in " + (openAtZero ? "(0, 1)" : "[0, 1)") + ", got " + value);
    }
  }

  /** An output file that can be written (see {@link OutputPath#requireFile}); null is fine. */
  static void outputFile(Path file) {
    if (file != null) {
      OutputPath.requireFile(file);
    }
  }

  /** An output folder that can be written or created (see {@link OutputPath#requireDirectory}); null is fine. */
  static void outputDirectory(Path dir) {
    if (dir != null) {
      OutputPath.requireDirectory(dir);
    }
  }
}
