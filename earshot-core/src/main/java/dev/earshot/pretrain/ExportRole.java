package dev.earshot.pretrain;

/** Which of a method's networks an exported encoder is. */
public enum ExportRole {
  /** The network the optimizer trains. */
  STUDENT,
  /** The frozen moving-average network (EMA or momentum teacher); not every method has one. */
  TEACHER
}
