package dev.earshot.model;

import static dev.earshot.ConfigException.require;

import dev.earshot.ConfigException;
import dev.earshot.audio.AudioLoader;
import dev.earshot.audio.Mixdown;
import dev.earshot.features.FbankConfig;
import dev.earshot.features.FrontEnd;
import dev.earshot.features.Normalization;
import dev.earshot.features.WindowSpec;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What travels with a model's weights so that audio is prepared exactly as in training: the front end
 * (rate, mix-down, filterbank, normalisation, length), the label names and how scores are formed, and where
 * the weights came from. Preprocessing constants never live inside the model's forward pass.
 *
 * @param sampleRateHz rate the audio is resampled to
 * @param mixdown channel rule
 * @param fbank filterbank options
 * @param normalization (x - mean) / (2 std) constants
 * @param targetFrames frames the input is padded or cropped to
 * @param labels class names in output order (empty for an encoder without head)
 * @param activation how logits become scores
 * @param source free text: where the weights came from (file, format, hash)
 */
public record PretrainedSpec(
    int sampleRateHz,
    Mixdown mixdown,
    FbankConfig fbank,
    Normalization normalization,
    int targetFrames,
    List<String> labels,
    OutputActivation activation,
    String source) {

  public PretrainedSpec {
    Objects.requireNonNull(mixdown, "mixdown");
    Objects.requireNonNull(fbank, "fbank");
    Objects.requireNonNull(normalization, "normalization");
    Objects.requireNonNull(activation, "activation");
    labels = labels == null ? List.of() : List.copyOf(labels);
    source = source == null ? "" : source;
    require(targetFrames >= 1 && targetFrames <= PatchGrid.MAX_FRAMES, "targetFrames", "must be in 1.."
        + PatchGrid.MAX_FRAMES + ", got " + targetFrames);
    require(sampleRateHz == fbank.sampleFrequencyHz(), "sampleRateHz",
        sampleRateHz + " differs from the filterbank rate " + fbank.sampleFrequencyHz());
  }

  /** The AST/SSAST/EAT front end at 16 kHz with the given normalisation and length. */
  public static PretrainedSpec ast(Normalization normalization, int targetFrames, List<String> labels,
      OutputActivation activation, String source) {
    return new PretrainedSpec(16000, Mixdown.AVERAGE, FbankConfig.ast(), normalization, targetFrames, labels,
        activation, source);
  }

  /** The per-clip pipeline this spec describes. */
  public FrontEnd frontEnd() {
    return new FrontEnd(new AudioLoader(sampleRateHz, mixdown), fbank, normalization, targetFrames);
  }

  public PretrainedSpec withLabels(List<String> newLabels, OutputActivation newActivation) {
    return new PretrainedSpec(sampleRateHz, mixdown, fbank, normalization, targetFrames, newLabels, newActivation,
        source);
  }

  public PretrainedSpec withTargetFrames(int frames) {
    return new PretrainedSpec(sampleRateHz, mixdown, fbank, normalization, frames, labels, activation, source);
  }

  public PretrainedSpec withSource(String newSource) {
    return new PretrainedSpec(sampleRateHz, mixdown, fbank, normalization, targetFrames, labels, activation,
        newSource);
  }

  /**
   * The windows a clip of any length is cut into for this model: by default the model's input, half a window
   * apart; else {@code windowSeconds} (default: the input's length) and {@code hopSeconds} (default: half a
   * window).
   *
   * @param windowName how the caller names the window setting in the error, e.g. {@code --window}
   * @throws ConfigException when the window is longer than the model's input
   */
  public WindowSpec windows(Double windowSeconds, Double hopSeconds, String windowName) {
    double shift = fbank.frameShiftMs() / 1000.0;
    double window = windowSeconds != null ? windowSeconds : targetFrames * shift;
    double hop = hopSeconds != null ? hopSeconds : window / 2;
    WindowSpec spec = windowSeconds == null && hopSeconds == null ? WindowSpec.forModel(targetFrames)
        : WindowSpec.seconds(window, hop, fbank);
    if (spec.windowFrames() > targetFrames) {
      throw new ConfigException(String.format(Locale.ROOT,
          "%s %.2f s is longer than the model's input of %d frames (%.2f s)", windowName, window, targetFrames,
          targetFrames * shift));
    }
    return spec;
  }
}
