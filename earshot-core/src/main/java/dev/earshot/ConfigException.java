package dev.earshot;

/** A configuration value is invalid or unknown. The message names the key and what is allowed. */
public class ConfigException extends EarshotException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Throws a {@code ConfigException} "{@code key}: {@code problem}" unless {@code ok}. */
  public static void require(boolean ok, String key, String problem) {
    if (!ok) {
      throw new ConfigException(key + ": " + problem);
    }
  }
}
