package dev.earshot.cli;

import dev.earshot.Version;
import picocli.CommandLine.IVersionProvider;

/**
 * Reports earshot's version — the command-line jar's manifest ({@code Implementation-Version}), else the core
 * library's ({@link Version}) — and the Java runtime. Every subcommand's {@code --version} uses it.
 */
final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = EarshotCommand.class.getPackage().getImplementationVersion();
    return new String[] {
      "earshot " + (version != null ? version : Version.current()),
      "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"
    };
  }
}
