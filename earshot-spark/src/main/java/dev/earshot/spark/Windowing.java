package dev.earshot.spark;

import dev.earshot.ConfigException;
import dev.earshot.features.WindowSpec;
import dev.earshot.infer.Aggregation;
import dev.earshot.model.PretrainedSpec;
import java.io.Serializable;
import java.util.Objects;

/**
 * How clips longer than the model's input are analysed, as the command line's {@code --window}, {@code --hop},
 * {@code --aggregate} and {@code --crop} say: windows of the model's input length every half window by default,
 * the clip's answer the mean (or max) over windows, or only the first window.
 *
 * @param windowSeconds window length, or null for the model's input length
 * @param hopSeconds distance between window starts, or null for half the window
 * @param crop analyse the first window only (the result says the clip was cropped)
 * @param aggregation how window answers become the clip's
 */
public record Windowing(Double windowSeconds, Double hopSeconds, boolean crop, Aggregation aggregation)
    implements Serializable {

  /** The model's windows, mean over windows. */
  public static final Windowing DEFAULT = new Windowing(null, null, false, Aggregation.MEAN);

  public Windowing {
    Objects.requireNonNull(aggregation, "aggregation");
    if (windowSeconds != null && !(windowSeconds > 0)) {
      throw new ConfigException("window: must be positive seconds, got " + windowSeconds);
    }
    if (hopSeconds != null && !(hopSeconds > 0)) {
      throw new ConfigException("hop: must be positive seconds, got " + hopSeconds);
    }
  }

  /** The window specification for a model, refusing windows longer than its input. */
  WindowSpec spec(PretrainedSpec model) {
    WindowSpec spec = model.windows(windowSeconds, hopSeconds, "window:");
    return crop ? spec.cropped() : spec;
  }
}
