package dev.earshot.io;

import dev.earshot.EarshotException;
import java.nio.file.Path;

/** A {@code .npy} file is malformed or uses a layout earshot does not read. The message names the file. */
public final class NpyFormatException extends EarshotException {
  private static final long serialVersionUID = 1L;

  public NpyFormatException(Path file, String problem) {
    super(file + ": " + problem);
  }

  public NpyFormatException(Path file, String problem, Throwable cause) {
    super(file + ": " + problem, cause);
  }
}
