package dev.earshot.cli;

import dev.earshot.features.WindowSpec;
import dev.earshot.infer.Aggregation;
import dev.earshot.model.PretrainedSpec;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * How {@code classify} and {@code embed} analyse clips longer than the model's input: sliding windows with
 * a clip-level aggregate, or the first window only ({@code --crop}). A picocli mixin.
 */
final class WindowOptions {
  @Option(names = "--window", paramLabel = "SEC",
      description = "Window length in seconds (default: the model's input length, 10.24 s for AST/SSAST/EAT).")
  Double windowSeconds;

  @Option(names = "--hop", paramLabel = "SEC",
      description = "Seconds between window starts (default: half the window).")
  Double hopSeconds;

  @Option(names = "--aggregate", paramLabel = "mean|max", defaultValue = "mean",
      description = "How window answers become the clip's: mean (default) or max over windows.")
  String aggregate;

  @Option(names = "--crop", description = {"Analyse only the first window of each clip (the behaviour before",
      "windows); clips that were cut are reported as cropped."})
  boolean crop;

  /** The windows for {@code model}'s input. */
  WindowSpec spec(PretrainedSpec model) {
    WindowSpec spec = model.windows(windowSeconds, hopSeconds, "--window");
    return crop ? spec.cropped() : spec;
  }

  Aggregation aggregation() {
    switch (aggregate.toLowerCase(Locale.ROOT)) {
      case "mean":
        return Aggregation.MEAN;
      case "max":
        return Aggregation.MAX;
      default:
        throw new dev.earshot.ConfigException("aggregate: expected mean or max, got '" + aggregate + "'");
    }
  }

  /** For example "mean over 12 windows of 10.24 s every 5.12 s", or the crop notice. */
  static String describe(dev.earshot.infer.WindowedResult r) {
    if (r.cropped()) {
      return String.format(Locale.ROOT, "cropped: only the first %.2f s analysed (--crop)", r.windowSeconds());
    }
    int n = r.windows().size();
    return String.format(Locale.ROOT, "%.1f s, %s over %d window%s of %.2f s every %.2f s", r.durationSeconds(),
        r.aggregation().label(), n, n == 1 ? "" : "s", r.windowSeconds(), r.hopSeconds());
  }
}
