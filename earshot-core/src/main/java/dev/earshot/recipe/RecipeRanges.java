package dev.earshot.recipe;

import dev.earshot.ConfigException;
import java.util.List;
import java.util.Locale;

/**
 * Range checks of recipe keys, so that a value no run could use (a batch of 0 clips, a negative learning rate, a
 * beta of 1) is a {@link ConfigException} naming the key when the recipe is read, not a failure deep inside a
 * run. A null value (the key absent: its default) always passes.
 */
final class RecipeRanges {
  private RecipeRanges() {}

  /** {@code value} is at least {@code min}. */
  static void atLeast(String key, Number value, double min) {
    if (value != null && !(value.doubleValue() >= min)) {
      throw new ConfigException(key + ": must be at least " + plain(min) + ", got " + value);
    }
  }

  /** {@code value} is greater than 0 (and finite). */
  static void positive(String key, Number value) {
    if (value != null && !(value.doubleValue() > 0 && Double.isFinite(value.doubleValue()))) {
      throw new ConfigException(key + ": must be greater than 0, got " + value);
    }
  }

  /** {@code value} lies in [0, 1] ({@code upperOpen}: [0, 1)). */
  static void fraction(String key, Number value, boolean upperOpen) {
    if (value == null) {
      return;
    }
    double v = value.doubleValue();
    if (!(v >= 0 && (upperOpen ? v < 1 : v <= 1))) {
      throw new ConfigException(key + ": must lie in [0, 1" + (upperOpen ? ")" : "]") + ", got " + value);
    }
  }

  /** Every value of {@code values} is at least {@code min}. */
  static void allAtLeast(String key, List<? extends Number> values, double min) {
    if (values != null) {
      values.forEach(v -> atLeast(key, v, min));
    }
  }

  private static String plain(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%s", v);
  }
}
