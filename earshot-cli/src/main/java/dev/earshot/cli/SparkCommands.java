package dev.earshot.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/**
 * The commands of {@code earshot spark}: the batch jobs and the training launcher on Spark. Built only when
 * {@code earshot spark} runs ({@link SparkCommand}), so that other commands start without their options.
 */
@Command(
    name = "spark",
    mixinStandardHelpOptions = true,
    description = {
      "earshot on Spark: filterbanks, embeddings and class scores for every clip of a folder or table, written",
      "as Parquet, and data-parallel pretraining launched as a Spark barrier stage.",
      "",
      "Runs in local mode on this machine (--master local[*], the default: every core, loopback only), on a",
      "cluster (--master spark://..., yarn, k8s://...), or as the application of spark-submit (see the README's",
      "'Spark' section). Each executor loads the model once and shares it between its tasks; a clip that cannot",
      "be read or analysed becomes a row with its error, and the job goes on."
    },
    subcommands = {SparkEmbedCommand.class, SparkClassifyCommand.class, SparkFbankCommand.class,
        SparkPretrainCommand.class})
final class SparkCommands implements Runnable {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
