package dev.earshot.train;

import dev.earshot.tensor.Tensor;
import dev.earshot.tensor.Temporaries;
import dev.earshot.nn.Module;
import dev.earshot.nn.Parameter;
import java.util.Map;

/**
 * Keeps a teacher module as an exponential moving average of a student with the same parameter paths:
 * teacher = decay * teacher + (1 - decay) * student for the student's trainable parameters, a plain copy
 * for its frozen ones (fixed tables), as fairseq's {@code EMAModule} does. The teacher is frozen: no
 * gradient is ever recorded for it.
 */
public final class EmaTeacher {
  private final Module teacher;
  private final Module student;

  /** Freezes {@code teacher} and copies the student's current weights into it. */
  public EmaTeacher(Module teacher, Module student) {
    this.teacher = teacher;
    this.student = student;
    Map<String, Parameter> t = teacher.namedParameters();
    for (String key : student.namedParameters().keySet()) {
      if (!t.containsKey(key)) {
        throw new IllegalArgumentException("the teacher has no parameter '" + key + "'");
      }
    }
    teacher.setTrainable(false);
    teacher.setTraining(false);
    copy();
  }

  public Module teacher() {
    return teacher;
  }

  /** Sets every teacher parameter to the student's value. */
  public void copy() {
    Map<String, Parameter> t = teacher.namedParameters();
    student.namedParameters().forEach((key, s) -> t.get(key).set(s.array()));
  }

  /** One EMA update with the given decay. */
  public void update(double decay) {
    Map<String, Parameter> t = teacher.namedParameters();
    for (Map.Entry<String, Parameter> e : student.namedParameters().entrySet()) {
      Parameter target = t.get(e.getKey());
      Tensor source = e.getValue().array();
      if (!e.getValue().trainable()) {
        target.set(source); // outside any Temporaries: the new value must outlive it
        continue;
      }
      try (Temporaries scope = Temporaries.open()) {
        target.array().muli((float) decay)
            .addi(source.stopGradient().mul((float) (1 - decay))); // never part of a graph
      }
    }
  }
}
