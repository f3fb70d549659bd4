package dev.earshot.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.earshot.features.FeatureStatistics;
import dev.earshot.io.Json;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code earshot stats}: dataset mean/std of the filterbank, for --norm-mean/--norm-std. */
@Command(
    name = "stats",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Dataset mean and standard deviation of the log-mel filterbank (for --norm-mean/--norm-std).",
      "",
      "Reads files or folders (searched recursively for .wav, .flac, .mp3, .ogg, .opus, .m4a, ...); normalise a",
      "new dataset with --norm-mean M --norm-std S. Use --target-frames as in training to reproduce AST's statistics, which",
      "include the zero padding. Unreadable clips are reported and skipped."
    })
final class StatsCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "IN", description = "Audio files or folders.")
  List<Path> inputs;

  @Option(names = "--json", description = "Print the result as JSON.")
  boolean json;

  @Mixin FrontEndOptions frontEnd;

  @Override
  public Integer call() throws Exception {
    OptionChecks.atLeast("--target-frames", frontEnd.targetFrames, 0);
    var out = spec.commandLine().getOut();
    var err = spec.commandLine().getErr();
    List<Path> files = InputFiles.expand(inputs);
    FeatureStatistics stats;
    try (ProgressBar bar = new ProgressBar(err, "stats", files.size())) {
      stats = FeatureStatistics.compute(files, frontEnd.loader(), frontEnd.fbankConfig(), frontEnd.targetFrames,
          done -> bar.step(null));
    }
    for (String skipped : stats.skipped()) {
      err.println("earshot: skipped " + skipped);
    }
    if (json) {
      ObjectNode node = Json.object();
      node.put("mean", stats.mean());
      node.put("std", stats.std());
      node.put("clips", stats.clips());
      node.put("values", stats.values());
      node.putPOJO("skipped", stats.skipped());
      out.println(Json.pretty(node));
    } else {
      out.printf(Locale.ROOT, "mean %.7f  std %.7f  (%d clips, %d values, %d skipped)%n", stats.mean(),
          stats.std(), stats.clips(), stats.values(), stats.skipped().size());
      out.printf(Locale.ROOT, "use: --norm-mean %.7f --norm-std %.7f%n", stats.mean(), stats.std());
    }
    out.flush();
    err.flush();
    return stats.skipped().isEmpty() ? 0 : 2;
  }
}
