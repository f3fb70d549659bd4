package dev.earshot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.earshot.audio.WavWriter;
import dev.earshot.audio.Waveform;
import dev.earshot.io.Npy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** classify and embed on long clips (windows, timestamps, aggregate, crop) and on MP3/Ogg/M4A files. */
class LongAudioCommandsTest {
  @TempDir static Path dir;
  static Path model; // AST fixture: 100-frame (1 s) input, 7 classes
  static Path longWav;

  @BeforeAll
  static void setUp() throws Exception {
    Path fixtures = Path.of(LongAudioCommandsTest.class.getResource("/fixtures/models/cases.json").toURI()).getParent();
    model = dir.resolve("ast");
    CliRunner imp = CliRunner.run("import", "--from", "ast", fixtures.resolve("ast/model.pth").toString(),
        "--out", model.toString(), "--heads", "4", "--frames", "100");
    assertThat(imp.exitCode()).as(imp.err()).isZero();
    float[] x = new float[16000 * 5];
    for (int i = 0; i < x.length; i++) {
      double t = i / 16000.0;
      x[i] = (float) (0.3 * Math.sin(2 * Math.PI * (300 + 700 * ((t / 2) % 1)) * t));
    }
    longWav = dir.resolve("five-seconds.wav");
    WavWriter.write(longWav, new Waveform(x, 16000), WavWriter.Coding.PCM16);
  }

  @Test
  void classifyGivesTimestampedWindowsAndTheirMean() throws Exception {
    CliRunner r = CliRunner.run("classify", "--model", model.toString(), longWav.toString(), "--json", "--top-k", "2");
    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode clip = new ObjectMapper().readTree(r.out()).get(0);
    assertThat(clip.get("aggregate").asText()).isEqualTo("mean");
    assertThat(clip.get("cropped").asBoolean()).isFalse();
    assertThat(clip.get("window_s").asDouble()).isEqualTo(1.0);
    assertThat(clip.get("hop_s").asDouble()).isEqualTo(0.5);
    JsonNode windows = clip.get("windows");
    assertThat(windows).hasSize(9); // 498 frames
    assertThat(windows.get(3).get("start_s").asDouble()).isEqualTo(1.5);
    assertThat(windows.get(3).get("end_s").asDouble()).isEqualTo(2.5);
    assertThat(windows.get(8).get("end_s").asDouble()).isEqualTo(4.98);
    assertThat(clip.get("predictions")).hasSize(2);

    // windows shorter than the model's input are padded to it, like short clips
    CliRunner text = CliRunner.run("classify", "--model", model.toString(), longWav.toString(), "--window", "0.8",
        "--hop", "0.8", "--aggregate", "max");
    assertThat(text.exitCode()).as(text.err()).isZero();
    // the last window is the clip's last 0.8 s, not 0.18 s of audio and 0.62 s of padding
    assertThat(text.out()).contains("5.0 s, max over 7 windows of 0.80 s every 0.80 s", "[    4.18 -     4.98 s]");

    CliRunner crop = CliRunner.run("classify", "--model", model.toString(), longWav.toString(), "--crop", "--json");
    JsonNode cropped = new ObjectMapper().readTree(crop.out()).get(0);
    assertThat(cropped.get("cropped").asBoolean()).isTrue();
    assertThat(cropped.get("windows")).hasSize(1);
    CliRunner cropText = CliRunner.run("classify", "--model", model.toString(), longWav.toString(), "--crop");
    assertThat(cropText.out()).contains("cropped: only the first 1.00 s analysed (--crop)");

    Path logits = dir.resolve("logits.npy");
    CliRunner withLogits = CliRunner.run("classify", "--model", model.toString(), longWav.toString(), "--logits",
        logits.toString());
    assertThat(withLogits.exitCode()).isZero();
    assertThat(Npy.read(logits).shape()).containsExactly(9, 7);
    List<String> index = Files.readAllLines(Path.of(logits + ".windows.tsv"));
    assertThat(index).hasSize(10);
    assertThat(index.get(2)).endsWith("\t1\t0.5\t1.5");
  }

  @Test
  void embedWritesTheAggregateAndEveryWindow() throws Exception {
    Path out = dir.resolve("emb.npy");
    CliRunner r = CliRunner.run("embed", "--model", model.toString(), longWav.toString(), "-o", out.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("mean over windows of 1.00 s every 0.50 s, 9 window(s)");
    assertThat(Npy.read(out).shape()).containsExactly(1, 64);
    assertThat(Npy.read(dir.resolve("emb.windows.npy")).shape()).containsExactly(9, 64);
    assertThat(Files.readAllLines(dir.resolve("emb.windows.tsv"))).hasSize(10);

    CliRunner frames = CliRunner.run("embed", "--model", model.toString(), longWav.toString(), "-o",
        dir.resolve("frames.npy").toString(), "--frames");
    assertThat(frames.exitCode()).as(frames.err()).isZero();
    float[] times = Npy.read(dir.resolve("frames.timestamps.npy")).toFloats();
    for (int i = 1; i < times.length; i++) {
      assertThat(times[i]).isGreaterThan(times[i - 1]);
    }
    assertThat(times[times.length - 1]).isLessThan(4980f);
  }

  @Test
  void compressedFormatsAndFolderScans() throws Exception {
    Path codecs = dir.resolve("codecs");
    Files.createDirectories(codecs);
    for (String name : List.of("stereo_44k1.mp3", "mono_22k05.ogg", "mono_44k1.m4a")) {
      Files.copy(Path.of(getClass().getResource("/fixtures/codecs/" + name).toURI()), codecs.resolve(name));
    }
    Files.writeString(codecs.resolve("notes.txt"), "not audio");
    CliRunner r = CliRunner.run("classify", "--model", model.toString(), codecs.toString(), "--json");
    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode all = new ObjectMapper().readTree(r.out());
    assertThat(all).hasSize(3);
    assertThat(all.get(0).get("input").asText()).endsWith("mono_22k05.ogg");
    assertThat(all.get(2).get("duration_s").asDouble()).isEqualTo(0.6);
  }

  @Test
  void badWindowOptionsAreUsageErrors() {
    CliRunner longer = CliRunner.run("classify", "--model", model.toString(), longWav.toString(), "--window", "2");
    assertThat(longer.exitCode()).isEqualTo(2);
    assertThat(longer.err().strip()).isEqualTo("earshot: --window 2.00 s is longer than the model's input of 100"
        + " frames (1.00 s)");
    CliRunner r = CliRunner.run("classify", "--model", model.toString(), longWav.toString(), "--window", "1",
        "--hop", "3");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("hop", "must not exceed the window");
    CliRunner agg = CliRunner.run("embed", "--model", model.toString(), longWav.toString(), "-o", "x.npy",
        "--aggregate", "median");
    assertThat(agg.exitCode()).isEqualTo(2);
    assertThat(agg.err()).contains("expected mean or max");
  }
}
