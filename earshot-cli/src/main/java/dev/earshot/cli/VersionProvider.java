package dev.earshot.cli;

import picocli.CommandLine.IVersionProvider;

/** Reports the jar's implementation version and the Java runtime. */
final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = EarshotCommand.class.getPackage().getImplementationVersion();
    return new String[] {
      "earshot " + (version == null ? "(development build)" : version),
      "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"
    };
  }
}
