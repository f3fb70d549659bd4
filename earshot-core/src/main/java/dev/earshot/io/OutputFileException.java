package dev.earshot.io;

import dev.earshot.EarshotException;
import java.nio.file.Path;

/**
 * An output path cannot be written as asked: it is a directory, a device, a FIFO or a socket, its folder
 * cannot be created or written, or a symbolic link chain loops. The message names the path and the problem.
 */
public final class OutputFileException extends EarshotException {
  private static final long serialVersionUID = 1L;

  public OutputFileException(Path file, String problem) {
    super(file + ": " + problem);
  }

  public OutputFileException(Path file, String problem, Throwable cause) {
    super(file + ": " + problem, cause);
  }
}
