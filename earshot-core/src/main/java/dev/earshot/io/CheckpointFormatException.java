package dev.earshot.io;

import dev.earshot.EarshotException;
import java.nio.file.Path;

/**
 * A checkpoint or weights file is malformed, truncated, refused for safety, or does not fit the model it is
 * loaded into. The message names the file and the problem.
 */
public final class CheckpointFormatException extends EarshotException {
  private static final long serialVersionUID = 1L;

  public CheckpointFormatException(Path file, String problem) {
    super((file == null ? "<memory>" : file.toString()) + ": " + problem);
  }

  public CheckpointFormatException(Path file, String problem, Throwable cause) {
    super((file == null ? "<memory>" : file.toString()) + ": " + problem, cause);
  }

  /** Throws unless {@code bytes} fit the {@link dev.earshot.HeapBudget}; {@code what} names the allocation. */
  public static void requireMemory(Path file, long bytes, String what) {
    String problem = dev.earshot.HeapBudget.shortfall(bytes, what);
    if (problem != null) {
      throw new CheckpointFormatException(file, problem);
    }
  }
}
