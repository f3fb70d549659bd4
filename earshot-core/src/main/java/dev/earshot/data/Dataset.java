package dev.earshot.data;

import dev.earshot.ConfigException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Clips with their class names.
 *
 * @param name for reports
 * @param clips the clips
 * @param classes class names by index (empty for unlabelled audio)
 * @param multiLabel whether a clip can carry several labels (AudioSet); decides BCE vs CE and the metrics
 */
public record Dataset(String name, List<Clip> clips, List<String> classes, boolean multiLabel) {
  public Dataset {
    Objects.requireNonNull(name, "name");
    clips = List.copyOf(clips);
    classes = List.copyOf(classes);
    for (Clip c : clips) {
      for (int l : c.labels()) {
        if (l < 0 || l >= classes.size()) {
          throw new ConfigException(name + ": clip " + c.id() + " has label " + l + " outside 0.." + (classes.size() - 1));
        }
      }
    }
  }

  public int size() {
    return clips.size();
  }

  /** The clips matching {@code keep}, same classes. */
  public Dataset filter(String newName, Predicate<Clip> keep) {
    List<Clip> out = new ArrayList<>();
    for (Clip c : clips) {
      if (keep.test(c)) {
        out.add(c);
      }
    }
    return new Dataset(newName, out, classes, multiLabel);
  }

  /** Clips whose group is {@code group}. */
  public Dataset group(String group) {
    return filter(name + "[" + group + "]", c -> c.group().equals(group));
  }

  /** Clips whose group is not {@code group}. */
  public Dataset exceptGroup(String group) {
    return filter(name + "[not " + group + "]", c -> !c.group().equals(group));
  }

  /** Distinct groups in order of first appearance. */
  public List<String> groups() {
    List<String> out = new ArrayList<>();
    for (Clip c : clips) {
      if (!out.contains(c.group())) {
        out.add(c.group());
      }
    }
    return out;
  }

  /** Multi-hot target (classes) of a clip; one-hot for single-label sets. */
  public float[] target(Clip clip) {
    float[] y = new float[classes.size()];
    for (int l : clip.labels()) {
      y[l] = 1f;
    }
    return y;
  }
}
