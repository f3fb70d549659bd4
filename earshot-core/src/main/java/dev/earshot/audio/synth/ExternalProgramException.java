package dev.earshot.audio.synth;

import dev.earshot.EarshotException;

/** An external program needed to generate audio is missing, failed or timed out; the message says which and why. */
public final class ExternalProgramException extends EarshotException {
  private static final long serialVersionUID = 1L;

  public ExternalProgramException(String message) {
    super(message);
  }

  public ExternalProgramException(String message, Throwable cause) {
    super(message, cause);
  }
}
