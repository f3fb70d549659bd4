package dev.earshot;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The earshot version: the core jar's manifest ({@code Implementation-Version}), else the build's own record. */
public final class Version {
  private static final String CURRENT = read();

  private Version() {}

  /** The version of the running earshot, e.g. {@code 0.1.0-SNAPSHOT}; "unknown" only in a broken build. */
  public static String current() {
    return CURRENT;
  }

  private static String read() {
    String manifest = Version.class.getPackage().getImplementationVersion();
    if (manifest != null) {
      return manifest;
    }
    try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
