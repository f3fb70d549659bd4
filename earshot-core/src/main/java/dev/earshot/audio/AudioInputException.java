package dev.earshot.audio;

import dev.earshot.EarshotException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * An audio file could not be turned into samples: it is missing, unreadable, truncated, corrupt, of an
 * unsupported codec or rate, empty, too large for the limits, or holds non-finite samples. The message starts
 * with the file name.
 */
public final class AudioInputException extends EarshotException {
  private static final long serialVersionUID = 1L;

  /** What went wrong, for callers that branch on it (for example to skip a clip and count the reason). */
  public enum Problem {
    /** The file does not exist. */
    NOT_FOUND,
    /** The file exists but could not be read (permissions, I/O error). */
    UNREADABLE,
    /** The container or codec is not one earshot decodes. */
    UNSUPPORTED_FORMAT,
    /** The header or the coded data is inconsistent. */
    CORRUPT,
    /** The file ends before the data its header announces. */
    TRUNCATED,
    /** The file holds no samples. */
    EMPTY,
    /** A sample is NaN or infinite. */
    NON_FINITE_SAMPLES,
    /** The clip is too short for the requested analysis (for example shorter than one filterbank frame). */
    TOO_SHORT,
    /** The clip is longer, or would need more memory, than the limits allow ({@link AudioLimits}). */
    TOO_LARGE
  }

  private final transient Path file;
  private final Problem problem;

  public AudioInputException(Path file, Problem problem, String detail) {
    this(file, problem, detail, null);
  }

  public AudioInputException(Path file, Problem problem, String detail, Throwable cause) {
    super((file == null ? "<memory>" : file.toString()) + ": " + detail, cause);
    this.file = file;
    this.problem = Objects.requireNonNull(problem, "problem");
  }

  /** The same problem, attributed to {@code newFile} (for errors raised on in-memory samples). */
  public AudioInputException withFile(Path newFile) {
    return new AudioInputException(newFile, problem, detail(), this);
  }

  /** The message without the file prefix. */
  public String detail() {
    String message = getMessage();
    String prefix = (file == null ? "<memory>" : file.toString()) + ": ";
    return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
  }

  /** The offending file, or {@code null} for in-memory input. */
  public Path file() {
    return file;
  }

  public Problem problem() {
    return problem;
  }
}
