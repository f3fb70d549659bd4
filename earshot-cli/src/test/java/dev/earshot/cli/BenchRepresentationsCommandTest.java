package dev.earshot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.earshot.audio.synth.ExternalProgram;
import dev.earshot.audio.synth.SoundFontRenderer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code earshot bench-representations} at its tiny size and a budget of two steps: it generates the benchmark,
 * runs the comparison with the log-mel baseline and prints the table and the bars. Without eSpeak NG, FluidSynth
 * or the SoundFont it must stop with exit status 2 and name the Debian package to install.
 */
class BenchRepresentationsCommandTest {
  @TempDir Path dir;

  @Test
  void tinyBenchmarkEndToEnd() throws Exception {
    Path out = dir.resolve("bench");
    String[] args = {"bench-representations", "--size", "tiny", "--out", out.toString(), "--methods",
        "ssast,scratch,logmel", "--budget-steps", "2", "--epochs", "1"};
    boolean installed = ExternalProgram.ESPEAK_NG.available() && ExternalProgram.FLUIDSYNTH.available()
        && Files.isRegularFile(SoundFontRenderer.DEBIAN_GM_SOUNDFONT);
    CliRunner r = CliRunner.run(args);
    if (!installed) {
      assertThat(r.exitCode()).isEqualTo(2);
      assertThat(r.err()).containsPattern("apt-get install (espeak-ng|fluidsynth|fluid-soundfont-gm)");
      return;
    }
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("generated", "drums", "keywords", "| ssast |", "| scratch | ssast-micro-patch |",
        "| logmel | log-mel mean+std | none |", "drums fine-tune", "speakers frozen clip", "Bars met: ");
    JsonNode report = new ObjectMapper().readTree(out.resolve("compare/results.json").toFile());
    assertThat(report.get("plan").get("recipes").asText()).isEqualTo("CPU_HOUR");
    JsonNode tasks = report.get("plan").get("tasks");
    assertThat(tasks).hasSize(4);
    assertThat(tasks.get(0).get("frames").asInt()).isEqualTo(512); // drums: the whole 5 s clip
    assertThat(out.resolve("compare/bars.md")).exists();
    JsonNode recipe = new ObjectMapper().readTree(out.resolve("compare/pretrain/ssast/model/model.json").toFile())
        .get("provenance").get("recipe");
    assertThat(recipe.get("steps").asLong()).isEqualTo(2);
    assertThat(recipe.get("warmupSteps").asLong()).as("a shortened recipe keeps its warm-up's share").isEqualTo(1);
    assertThat(recipe.get("frames").asInt()).isEqualTo(512); // the one-hour recipe's own length
    // the exported model carries the one-hour recipe's readout, which embed uses by default
    assertThat(Files.readString(out.resolve("compare/pretrain/ssast/model/model.json"))).contains("\"readout\"");
    CliRunner again = CliRunner.run(args); // the data is complete and every result cached: nothing is redone
    assertThat(again.exitCode()).as(again.err()).isZero();
    assertThat(again.out()).contains("benchmark  ").doesNotContain("generated");
  }
}
