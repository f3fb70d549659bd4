package dev.earshot.compare;

import dev.earshot.data.Dataset;
import dev.earshot.data.DatasetSource;
import java.util.Optional;

/**
 * A task with its data read.
 *
 * @param train the labelled data (its folds or splits are used when it has them)
 * @param test the separate test set, if the task has one
 * @param frames the input length of this task's evaluations
 */
public record TaskData(Task task, Dataset train, Optional<Dataset> test, int frames) {
  /** Reads {@code task}'s data for a comparison at {@code planFrames}. */
  public static TaskData read(Task task, int planFrames) {
    return new TaskData(task, DatasetSource.read(task.spec()),
        Optional.ofNullable(task.testSpec()).map(DatasetSource::read), task.framesOr(planFrames));
  }

  /** The same task for an encoder of {@code entryFrames} input frames: the task's own length, else that one. */
  public TaskData at(int entryFrames) {
    return new TaskData(task, train, test, task.framesOr(entryFrames));
  }

  /** The task's name. */
  public String name() {
    return task.name();
  }
}
