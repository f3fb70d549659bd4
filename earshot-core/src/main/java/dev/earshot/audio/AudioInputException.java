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
    /** The sampling rate is outside the supported range ({@link AudioLimits}). */
    UNSUPPORTED_RATE,
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
  private final String source;
  private final Problem problem;

  public AudioInputException(Path file, Problem problem, String detail) {
    this(file, problem, detail, null);
  }

  public AudioInputException(Path file, Problem problem, String detail, Throwable cause) {
    this(file, file == null ? null : file.toString(), problem, detail, cause);
  }

  /**
   * An error about in-memory input (bytes or a stream) known by a display name, for example an upload's
   * file name or a URI: the message starts with {@code source}, and {@link #file()} is {@code null}.
   */
  public AudioInputException(String source, Problem problem, String detail, Throwable cause) {
    this(null, source, problem, detail, cause);
  }

  private AudioInputException(Path file, String source, Problem problem, String detail, Throwable cause) {
    super((source == null ? "<memory>" : source) + ": " + detail, cause);
    this.file = file;
    this.source = source;
    this.problem = Objects.requireNonNull(problem, "problem");
  }

  /** The same problem, attributed to {@code newFile} (for errors raised on in-memory samples). */
  public AudioInputException withFile(Path newFile) {
    return new AudioInputException(newFile, problem, detail(), this);
  }

  /** The same problem, attributed to in-memory input called {@code name}. */
  public AudioInputException withSource(String name) {
    return new AudioInputException(name, problem, detail(), this);
  }

  /** The message without the file prefix. */
  public String detail() {
    String message = getMessage();
    String prefix = (source == null ? "<memory>" : source) + ": ";
    return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
  }

  /** The offending file, or {@code null} for in-memory input. */
  public Path file() {
    return file;
  }

  /** The name the message starts with: the file, the display name of in-memory input, or {@code null}. */
  public String source() {
    return source;
  }

  public Problem problem() {
    return problem;
  }
}
