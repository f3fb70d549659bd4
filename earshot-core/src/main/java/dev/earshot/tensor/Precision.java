package dev.earshot.tensor;

import dev.earshot.ConfigException;
import java.util.Locale;

/**
 * The arithmetic precision of matrix products: {@link #FP32} everywhere, or {@link #BF16} — bfloat16 matrix
 * products and convolutions with float32 weights, norms, softmax and losses (autocast), on CPUs with
 * AVX512-BF16/AMX and on GPUs.
 */
public enum Precision {
  FP32,
  BF16;

  /** Parses {@code fp32} or {@code bf16}. */
  public static Precision parse(String text) {
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "fp32", "float32", "float" -> FP32;
      case "bf16", "bfloat16" -> BF16;
      default -> throw new ConfigException("precision: '" + text + "' is not a precision; use fp32 or bf16");
    };
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
