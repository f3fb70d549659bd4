package dev.earshot.compare;

import dev.earshot.ConfigException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

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
    return attach(tasks, "--test", "FORMAT:PATH", tests, (t, spec) -> new Task(t.name, t.spec, spec, t.frames));
  }

  /** Attaches each {@code --task-frames NAME=N} to its task; a length naming no task is an error. */
  public static List<Task> withFrames(List<Task> tasks, List<String> lengths) {
    return attach(tasks, "--task-frames", "N", lengths, (t, n) -> {
      try {
        return new Task(t.name, t.spec, t.testSpec, Integer.parseInt(n));
      } catch (NumberFormatException e) {
        throw new ConfigException("--task-frames " + t.name + "=" + n + ": expected NAME=N (a whole number of frames)");
      }
    });
  }

  /** Each {@code NAME=VALUE} of {@code option} applied to the task NAME. */
  private static List<Task> attach(List<Task> tasks, String option, String valueForm, List<String> values,
      BiFunction<Task, String, Task> apply) {
    List<Task> out = new ArrayList<>(tasks);
    for (String text : values) {
      NameValue nv = NameValue.parse(option, text, valueForm);
      int i = out.stream().map(Task::name).toList().indexOf(nv.name());
      if (i < 0) {
        throw new ConfigException(option + " " + text + ": no --task is called '" + nv.name() + "'");
      }
      out.set(i, apply.apply(out.get(i), nv.value()));
    }
    return out;
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
