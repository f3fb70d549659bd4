package dev.earshot.data;

import dev.earshot.EarshotException;
import java.nio.file.Path;

/** A dataset folder or manifest does not have the layout its format requires. Names the file and the problem. */
public final class DatasetFormatException extends EarshotException {
  private static final long serialVersionUID = 1L;

  public DatasetFormatException(Path file, String problem) {
    super(file + ": " + problem);
  }
}
