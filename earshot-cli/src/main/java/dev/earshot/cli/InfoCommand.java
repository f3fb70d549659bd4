package dev.earshot.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.earshot.audio.AudioFile;
import dev.earshot.audio.AudioFormat;
import dev.earshot.io.Json;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code earshot info}: the stored format of audio files. */
@Command(
    name = "info",
    mixinStandardHelpOptions = true,
    description = {
      "Format of audio files: container, sample coding, bit depth, channels, rate, length.",
      "",
      "Reads only the header. Exit status 2 if any file is unreadable (the others are still listed)."
    })
final class InfoCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "IN", description = "WAV or FLAC files.")
  List<Path> inputs;

  @Option(names = "--json", description = "One JSON array instead of text.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    var out = spec.commandLine().getOut();
    var err = spec.commandLine().getErr();
    ArrayNode array = Json.array();
    int failures = 0;
    for (Path file : inputs) {
      try {
        AudioFormat f = AudioFile.probe(file);
        if (json) {
          ObjectNode node = array.addObject();
          node.put("file", file.toString());
          node.put("container", f.container());
          node.put("encoding", f.encoding().name());
          node.put("bitsPerSample", f.bitsPerSample());
          node.put("channels", f.channels());
          node.put("sampleRateHz", f.sampleRateHz());
          node.put("frames", f.frames());
          node.put("durationSeconds", f.durationSeconds());
          node.put("extensible", f.extensible());
        } else {
          out.printf(Locale.ROOT, "%s: %s %s %d-bit%s, %d channel%s, %d Hz, %d samples (%.3f s)%n", file,
              f.container(), f.encoding(), f.bitsPerSample(), f.extensible() ? " (extensible)" : "",
              f.channels(), f.channels() == 1 ? "" : "s", f.sampleRateHz(), f.frames(), f.durationSeconds());
        }
      } catch (dev.earshot.EarshotException e) {
        err.println("earshot: " + e.getMessage());
        failures++;
      }
    }
    if (json) {
      out.println(Json.pretty(array));
    }
    out.flush();
    err.flush();
    return failures == 0 ? 0 : 2;
  }
}
