package dev.earshot.compare;

import dev.earshot.ConfigException;
import java.util.ArrayList;
import java.util.List;

/**
 * A labelled evaluation task.
 *
 * @param name how the task is called in the table
 * @param spec its data, FORMAT:PATH (folds or train/test groups of the format are used when it has them)
 * @param testSpec a separate test set (FORMAT:PATH), or null
 * @param frames the input length its evaluations use, or null for the comparison's length (pretraining's)
 */
public record Task(String name, String spec, String testSpec, Integer frames) {
  public Task {
    if (frames != null && frames < 16) {
      throw new ConfigException("--task-frames " + name + ": at least 16 frames (one patch), got " + frames);
    }
  }

  /** {@code NAME=FORMAT:PATH}. */
  public static Task parse(String text) {
    NameValue nv = NameValue.parse("--task", text, "FORMAT:PATH");
    return new Task(nv.name(), nv.value(), null, null);
  }

  /** The input length of this task's evaluations in a comparison at {@code planFrames}. */
  public int framesOr(int planFrames) {
    return frames == null ? planFrames : frames;
  }

  /** Attaches each {@code --test NAME=SPEC} to its task; a test naming no task is an error. */
  public static List<Task> withTests(List<Task> tasks, List<String> tests) {
    List<Task> out = new ArrayList<>(tasks);
    for (String t : tests) {
      NameValue nv = NameValue.parse("--test", t, "FORMAT:PATH");
      int i = indexOf(out, nv.name(), "--test " + t);
      Task task = out.get(i);
      out.set(i, new Task(task.name, task.spec, nv.value(), task.frames));
    }
    return out;
  }

  /** Attaches each {@code --task-frames NAME=N} to its task; a length naming no task is an error. */
  public static List<Task> withFrames(List<Task> tasks, List<String> lengths) {
    List<Task> out = new ArrayList<>(tasks);
    for (String l : lengths) {
      NameValue nv = NameValue.parse("--task-frames", l, "N");
      int i = indexOf(out, nv.name(), "--task-frames " + l);
      Task task = out.get(i);
      try {
        out.set(i, new Task(task.name, task.spec, task.testSpec, Integer.parseInt(nv.value())));
      } catch (NumberFormatException e) {
        throw new ConfigException("--task-frames " + l + ": expected NAME=N (a whole number of frames)");
      }
    }
    return out;
  }

  private static int indexOf(List<Task> tasks, String name, String what) {
    for (int i = 0; i < tasks.size(); i++) {
      if (tasks.get(i).name().equals(name)) {
        return i;
      }
    }
    throw new ConfigException(what + ": no --task is called '" + name + "'");
  }

  /** {@code NAME=VALUE} as given to an option. */
  private record NameValue(String name, String value) {
    static NameValue parse(String option, String text, String valueForm) {
      int eq = text.indexOf('=');
      if (eq <= 0 || eq == text.length() - 1) {
        throw new ConfigException(option + ": expected NAME=" + valueForm + ", got '" + text + "'");
      }
      return new NameValue(text.substring(0, eq), text.substring(eq + 1));
    }
  }
}
