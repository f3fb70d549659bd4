package dev.earshot.features;

import static dev.earshot.ConfigException.require;

/**
 * The AST-family input normalisation x' = (x - mean) / (2 * std), with the published per-dataset constants.
 *
 * <p>The factor 2 is deliberate (it targets a standard deviation of about 0.5); forgetting this step
 * silently ruins fine-tuning of every published checkpoint.
 *
 * @param mean dataset mean of the log-mel filterbank
 * @param std dataset standard deviation of the log-mel filterbank
 */
public record Normalization(double mean, double std) {
  /** AudioSet statistics; also the default for LibriSpeech, SUPERB tasks and custom data (SSAST, AST, ASiT). */
  public static final Normalization AUDIOSET = new Normalization(-4.2677393, 4.5689974);
  /** ESC-50 statistics (SSAST, AST). */
  public static final Normalization ESC50 = new Normalization(-6.6268077, 5.358466);
  /** Speech Commands V2 statistics (SSAST, AST). */
  public static final Normalization SPEECH_COMMANDS = new Normalization(-6.845978, 5.5654526);
  /** AudioSet statistics as rounded in EAT. */
  public static final Normalization EAT_AUDIOSET = new Normalization(-4.268, 4.569);
  /** ESC-50 statistics as rounded in EAT. */
  public static final Normalization EAT_ESC50 = new Normalization(-6.627, 5.359);
  /** Speech Commands V2 statistics as rounded in EAT. */
  public static final Normalization EAT_SPEECH_COMMANDS = new Normalization(-6.846, 5.565);
  /** Leaves features unchanged: mean 0, std 0.5. */
  public static final Normalization IDENTITY = new Normalization(0, 0.5);

  public Normalization {
    require(Double.isFinite(mean), "mean", "must be finite, got " + mean);
    require(std > 0 && Double.isFinite(std), "std", "must be positive and finite, got " + std);
  }

  /** The preset names {@link #preset} knows. */
  public static final java.util.List<String> PRESETS = java.util.List.of("audioset", "esc50", "speechcommands",
      "eat-audioset", "eat-esc50", "eat-speechcommands", "none");

  /**
   * A named preset: {@code audioset}, {@code esc50}, {@code speechcommands}, {@code eat-audioset},
   * {@code eat-esc50}, {@code eat-speechcommands} or {@code none}.
   */
  public static Normalization preset(String name) {
    switch (name.toLowerCase(java.util.Locale.ROOT)) {
      case "audioset":
        return AUDIOSET;
      case "esc50":
        return ESC50;
      case "speechcommands":
        return SPEECH_COMMANDS;
      case "eat-audioset":
        return EAT_AUDIOSET;
      case "eat-esc50":
        return EAT_ESC50;
      case "eat-speechcommands":
        return EAT_SPEECH_COMMANDS;
      case "none":
        return IDENTITY;
      default:
        throw new dev.earshot.ConfigException(
            "normalization: unknown preset '" + name + "' (" + String.join(", ", PRESETS) + ")");
    }
  }

  /** Normalises every value of {@code features} in place and returns it. */
  public float[][] applyInPlace(float[][] features) {
    double scale = 1.0 / (2 * std);
    for (float[] row : features) {
      for (int j = 0; j < row.length; j++) {
        row[j] = (float) ((row[j] - mean) * scale);
      }
    }
    return features;
  }
}
