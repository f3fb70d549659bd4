package dev.earshot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.earshot.Version;
import dev.earshot.recipe.PretrainingMethods;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/** What every command owes its user: described options, a real version, closed sets named in the help. */
class CliConventionsTest {
  @Test
  void everyOptionAndParameterOfEveryCommandIsDescribed() {
    CommandLine root = EarshotCommand.commandLine();
    for (CommandLine command : root.getSubcommands().values()) {
      String name = command.getCommandName();
      for (OptionSpec o : command.getCommandSpec().options()) {
        assertThat(String.join(" ", o.description())).as(name + " " + o.longestName()).isNotBlank();
      }
      for (PositionalParamSpec p : command.getCommandSpec().positionalParameters()) {
        assertThat(String.join(" ", p.description())).as(name + " " + p.paramLabel()).isNotBlank();
      }
    }
  }

  @Test
  void versionIsTheBuildsOnEveryCommand() {
    assertThat(Version.current()).matches("\\d+\\.\\d+\\.\\d+.*");
    for (String[] args : new String[][] {{"--version"}, {"demo", "--version"}, {"compare", "-V"}}) {
      CliRunner r = CliRunner.run(args);
      assertThat(r.exitCode()).isZero();
      assertThat(r.out()).startsWith("earshot " + Version.current() + "\n").contains("Java ");
    }
  }

  @Test
  void closedSetsAreListedInTheHelpAndCheckedWhenParsed() {
    String methods = String.join(", ", PretrainingMethods.names());
    assertThat(CliRunner.run("pretrain", "--help").out()).contains(methods);
    assertThat(CliRunner.run("demo", "--help").out()).contains(methods + " (default: "
        + PretrainingMethods.defaultMethod().name() + ")");
    assertThat(CliRunner.run("compare", "--help").out()).contains(methods + ", scratch",
        "probe, finetune, frozen, frames", "micro, mini, tiny, small, base");
    assertThat(CliRunner.run("import", "--help").out()).contains("ssast, ast, ast-hf, eat, eat-hf, asit");
    assertThat(CliRunner.run("finetune", "--help").out()).contains("auto, holdout, splits, folds, random",
        "mean, cls, cls-dist");
    CliRunner bad = CliRunner.run("finetune", "--data", "x", "--scratch", "vit-micro", "-o", "o", "--pooling", "max");
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.err()).contains("'max' is not one of mean, cls, cls-dist");
    CliRunner method = CliRunner.run("demo", "--method", "byol");
    assertThat(method.exitCode()).isEqualTo(2);
    assertThat(method.err()).contains("unknown 'byol' (" + methods + ")");
  }
}
