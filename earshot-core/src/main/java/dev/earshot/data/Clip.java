package dev.earshot.data;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One labelled (or unlabelled) audio clip of a dataset.
 *
 * @param id stable identifier (relative path or key), used for caching and reports
 * @param file the audio file
 * @param labels class indices (empty for unlabelled clips; several for multi-label sets)
 * @param group fold, session or split tag the dataset's protocol uses ("" if none)
 */
public record Clip(String id, Path file, int[] labels, String group) {
  public Clip {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(file, "file");
    labels = labels == null ? new int[0] : labels.clone();
    group = group == null ? "" : group;
  }

  /** An unlabelled clip. */
  public static Clip unlabeled(String id, Path file) {
    return new Clip(id, file, new int[0], "");
  }

  /** The single label of a single-label clip. */
  public int label() {
    if (labels.length != 1) {
      throw new IllegalStateException(id + " has " + labels.length + " labels, not one");
    }
    return labels[0];
  }
}
