package dev.earshot.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code earshot spark}: hands its arguments to {@link SparkCommands}, whose command line (four commands, many
 * options) is built only now — every other command starts as fast as before the Spark commands existed.
 */
@Command(
    name = "spark",
    description = {
      "Embeddings, tags and filterbanks of every clip into Parquet, and pretraining, on Spark.",
      "'earshot spark --help' lists them; 'earshot spark COMMAND --help' explains each."
    })
final class SparkCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;

  /** Everything after 'spark': a command and its options. */
  @Unmatched List<String> arguments = new ArrayList<>();

  @Override
  public Integer call() {
    CommandLine commands = EarshotCommand.configure(new CommandLine(new SparkCommands()));
    commands.setCommandName("earshot spark");
    commands.getCommandSpec().versionProvider(new VersionProvider());
    commands.setOut(spec.commandLine().getOut());
    commands.setErr(spec.commandLine().getErr());
    return commands.execute(arguments.toArray(new String[0]));
  }
}
