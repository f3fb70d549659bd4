package dev.earshot.recipe;

import dev.earshot.ConfigException;
import dev.earshot.data.Clip;
import dev.earshot.data.Dataset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * How a labelled dataset becomes train/test pairs.
 * <ul>
 *   <li>{@code holdout}: a separate test dataset was given;
 *   <li>{@code splits}: the dataset's own "train" and "test"/"testing" groups (Speech Commands, VoxCeleb1);
 *   <li>{@code folds}: leave-one-group-out over the dataset's groups (ESC-50's 5 folds, IEMOCAP's sessions);
 *   <li>{@code random}: a seeded 80/20 split;
 *   <li>{@code auto}: the first that applies, in that order.
 * </ul>
 */
public final class Protocol {
  private Protocol() {}

  /** The protocol names {@link #folds} takes. */
  public static final List<String> NAMES = List.of("auto", "holdout", "splits", "folds", "random");

  /** One train/test pair. */
  public record Fold(String name, Dataset train, Dataset test) {}

  public static List<Fold> folds(String protocol, Dataset data, Dataset test, long seed) {
    String p = protocol == null ? "auto" : protocol;
    List<String> groups = data.groups();
    boolean hasSplits = groups.contains("train") && (groups.contains("test") || groups.contains("testing"));
    boolean hasFolds = !hasSplits && groups.size() > 1 && !groups.contains("");
    switch (p) {
      case "auto":
        if (test != null) {
          return folds("holdout", data, test, seed);
        }
        if (hasSplits) {
          return folds("splits", data, null, seed);
        }
        return folds(hasFolds ? "folds" : "random", data, null, seed);
      case "holdout":
        if (test == null) {
          throw new ConfigException("--protocol holdout needs --test DATASET");
        }
        return List.of(new Fold("holdout", data, test));
      case "splits": {
        if (!hasSplits) {
          throw new ConfigException("--protocol splits: " + data.name() + " has no train/test groups (groups: " + groups + ")");
        }
        String testGroup = groups.contains("test") ? "test" : "testing";
        return List.of(new Fold(testGroup, data.group("train"), data.group(testGroup)));
      }
      case "folds": {
        if (groups.size() < 2) {
          throw new ConfigException("--protocol folds: " + data.name() + " has fewer than two groups");
        }
        List<Fold> out = new ArrayList<>();
        for (String g : groups) {
          out.add(new Fold("fold " + g, data.exceptGroup(g), data.group(g)));
        }
        return out;
      }
      case "random": {
        List<Clip> shuffled = new ArrayList<>(data.clips());
        SplittableRandom rng = new SplittableRandom(seed ^ 0x5EEDL);
        for (int i = shuffled.size() - 1; i > 0; i--) {
          int j = rng.nextInt(i + 1);
          Clip t = shuffled.get(i);
          shuffled.set(i, shuffled.get(j));
          shuffled.set(j, t);
        }
        int cut = Math.max(1, (int) Math.round(shuffled.size() * 0.8));
        List<Clip> trainClips = shuffled.subList(0, cut);
        List<Clip> testClips = shuffled.subList(cut, shuffled.size());
        return List.of(new Fold("random 80/20", new Dataset(data.name() + "[train]", trainClips, data.classes(),
            data.multiLabel()), new Dataset(data.name() + "[test]", testClips, data.classes(), data.multiLabel())));
      }
      default:
        throw new ConfigException("--protocol: auto, holdout, splits, folds or random, got '" + p + "'");
    }
  }
}
