package dev.earshot.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs the earshot command line in-process and captures its exit code and output. */
record CliRunner(int exitCode, String out, String err) {
  static CliRunner run(String... args) {
    CommandLine cli = EarshotCommand.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new CliRunner(code, out.toString(), err.toString());
  }
}
