package dev.earshot.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code earshot spark fbank}: the filterbank of every clip, as Parquet. */
@Command(
    name = "fbank",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Kaldi-compatible log-mel filterbanks of every clip on Spark, as Parquet.",
      "",
      "The same numbers as 'earshot fbank'. Columns: the input's, then duration_s, frames, bins and features",
      "(frames x bins floats); last error and error_kind. The front end is the flags' (default: the AST/SSAST/EAT",
      "filterbank, not normalised), or with --model that model's own (normalised and padded or cut to its input:",
      "model-ready)."
    })
final class SparkFbankCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin SparkInput input;
  @Mixin SparkOutput output;

  @Option(names = "--model", paramLabel = "DIR", description = "Use this earshot model's front end instead of the "
      + "flags (a path the driver sees, or a Hadoop URI).")
  String model;

  @Mixin FrontEndOptions frontEnd;

  @Override
  public Integer call() {
    SparkInput.requireSpark();
    return output.report(SparkJobs.fbank(input.values(), model, frontEnd.frontEnd(), output.out, output.overwrite),
        spec.commandLine().getOut(), spec.commandLine().getErr());
  }
}
