package dev.earshot;

/**
 * Root of every error earshot reports on purpose: bad input files, bad configuration, bad checkpoints.
 *
 * <p>Each subclass names the thing that was wrong (a file, a config key, a tensor) and the problem in its
 * message, so that a command-line front end can print {@link #getMessage()} as one line and exit with
 * status 2. Errors that indicate a bug in earshot itself are plain {@link RuntimeException}s instead.
 */
public class EarshotException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public EarshotException(String message) {
    super(message);
  }

  public EarshotException(String message, Throwable cause) {
    super(message, cause);
  }
}
