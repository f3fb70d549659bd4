package dev.earshot.recipe;

import dev.earshot.ConfigException;
import dev.earshot.audio.AudioLoader;
import dev.earshot.data.Clip;
import dev.earshot.data.Dataset;
import dev.earshot.features.FbankConfig;
import dev.earshot.features.FeatureStatistics;
import dev.earshot.features.Normalization;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Resolves a recipe's {@code normalization} value: a preset name, "auto" (dataset statistics) or "MEAN,STD". */
final class NormalizationChoice {
  private NormalizationChoice() {}

  static Normalization resolve(String value, Dataset data, int frames, Normalization fallback) {
    return resolve(value, data, frames, fallback, AudioLoader.DEFAULT, FbankConfig.ast());
  }

  /** As above; "auto" measures the statistics with this front end. */
  static Normalization resolve(String value, Dataset data, int frames, Normalization fallback, AudioLoader loader,
      FbankConfig fbank) {
    if (value == null || value.equals("model")) {
      if (fallback == null) {
        throw new ConfigException("normalization: required here (a preset such as audioset, 'auto', or MEAN,STD)");
      }
      return fallback;
    }
    if (value.equals("auto")) {
      List<Path> files = new ArrayList<>();
      for (int i = 0; i < data.size() && files.size() < 500; i += Math.max(1, data.size() / 500)) {
        Clip c = data.clips().get(i);
        files.add(c.file());
      }
      return FeatureStatistics.compute(files, loader, fbank, frames, d -> { }).toNormalization();
    }
    if (value.contains(",")) {
      String[] p = value.split(",");
      try {
        return new Normalization(Double.parseDouble(p[0].strip()), Double.parseDouble(p[1].strip()));
      } catch (NumberFormatException e) {
        throw new ConfigException("normalization: expected MEAN,STD, got '" + value + "'");
      }
    }
    return Normalization.preset(value);
  }
}
