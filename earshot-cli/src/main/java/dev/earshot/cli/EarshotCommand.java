package dev.earshot.cli;

import dev.earshot.EarshotException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code earshot} command: a list of subcommands, each with its own {@code --help}. */
@Command(
    name = "earshot",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Self-supervised audio spectrogram transformers on the JVM (SSAST, EAT, ASiT, MAST).",
      "",
      "Run '@|bold earshot demo|@' for a tour, or '@|bold earshot <command> --help|@' for any command."
    },
    subcommands = {
      DemoCommand.class,
      InfoCommand.class,
      FbankCommand.class,
      StatsCommand.class,
      PretrainCommand.class,
      FinetuneCommand.class,
      CompareCommand.class,
      BenchRepresentationsCommand.class,
      EvaluateCommand.class,
      ImportCommand.class,
      EmbedCommand.class,
      ClassifyCommand.class,
      ServeCommand.class,
      SparkCommand.class,
      ExportCommand.class,
      CommandLine.HelpCommand.class
    },
    footer = {"", "Exit status: 0 success, 1 internal error, 2 bad input or bad usage."})
public final class EarshotCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Builds the configured command line (also used by tests to run commands in-process). */
  public static CommandLine commandLine() {
    return configure(new CommandLine(new EarshotCommand()));
  }

  /** Help width, error handling and version of a command line and its subcommands (also 'spark''s own). */
  static CommandLine configure(CommandLine cli) {
    // descriptions are written as lines of up to ~110 characters; picocli's default of 80 would re-break them
    cli.setUsageHelpWidth(120);
    cli.setExecutionExceptionHandler(EarshotCommand::handle);
    // mixinStandardHelpOptions gives every subcommand --version; they all report the same version
    cli.getSubcommands().values().forEach(sub -> sub.getCommandSpec().versionProvider(new VersionProvider()));
    return cli;
  }

  private static int handle(Exception e, CommandLine cli, CommandLine.ParseResult parseResult) {
    PrintWriter err = cli.getErr();
    if (e instanceof EarshotException) {
      err.println("earshot: " + e.getMessage());
      err.flush();
      return 2;
    }
    if (e instanceof java.io.UncheckedIOException || e instanceof java.io.IOException) {
      err.println("earshot: " + e.getMessage());
      err.flush();
      return 2;
    }
    err.println("earshot: internal error (please report): " + e);
    e.printStackTrace(err);
    err.flush();
    return 1;
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}
