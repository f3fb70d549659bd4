package dev.earshot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.earshot.audio.Waveform;
import dev.earshot.audio.WavWriter;
import dev.earshot.io.Npy;
import dev.earshot.io.NpyArray;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FrontEndCommandsTest {
  @TempDir Path dir;

  private Path tone(String name, int samples, int rate) throws Exception {
    float[] x = new float[samples];
    for (int i = 0; i < samples; i++) {
      x[i] = (float) (0.3 * Math.sin(2 * Math.PI * 440 * i / rate));
    }
    Path p = dir.resolve(name);
    WavWriter.write(p, new Waveform(x, rate), WavWriter.Coding.PCM16);
    return p;
  }

  @Test
  void helpListsEveryCommandAndEachHasHelp() {
    CliRunner r = CliRunner.run("--help");
    assertThat(r.exitCode()).isZero();
    for (String command : new String[] {"demo", "info", "fbank", "stats"}) {
      assertThat(r.out()).contains(command);
      CliRunner sub = CliRunner.run(command, "--help");
      assertThat(sub.exitCode()).as(command).isZero();
      assertThat(sub.out()).contains("Usage: earshot " + command);
    }
    assertThat(CliRunner.run("fbank", "--help").out()).contains("--num-mel-bins", "--norm", "--target-frames");
  }

  @Test
  void fbankWritesModelReadyFeatures() throws Exception {
    Path wav = tone("a.wav", 22050, 44100);
    Path out = dir.resolve("a.npy");
    CliRunner r = CliRunner.run("fbank", wav.toString(), "--out", out.toString(), "--norm", "audioset",
        "--target-frames", "128", "--png", dir.resolve("a.png").toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    NpyArray a = Npy.read(out);
    assertThat(a.shape()).containsExactly(128, 128);
    assertThat(a.toMatrix()[120][5]).isEqualTo((float) (4.2677393 / (2 * 4.5689974))); // zero padding
    assertThat(dir.resolve("a.png")).exists();
  }

  @Test
  void fbankOptionsReachTheFilterbank() throws Exception {
    Path wav = tone("b.wav", 16000, 16000);
    Path out = dir.resolve("b.npy");
    CliRunner r = CliRunner.run("fbank", wav.toString(), "-o", out.toString(), "--preset", "kaldi",
        "--num-mel-bins", "40", "--use-energy", "--no-snip-edges", "--window", "hamming");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(Npy.read(out).shape()).containsExactly(100, 41);
  }

  @Test
  void badInputExitsWithTwoAndOneLine() throws Exception {
    Path shortClip = tone("short.wav", 100, 16000);
    CliRunner r = CliRunner.run("fbank", shortClip.toString(), "-o", dir.resolve("x.npy").toString());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err().strip()).startsWith("earshot: " + shortClip + ": clip has 100 samples").doesNotContain("\n");
    assertThat(dir.resolve("x.npy")).doesNotExist();

    Path garbage = dir.resolve("g.wav");
    Files.writeString(garbage, "this is not audio");
    CliRunner g = CliRunner.run("info", garbage.toString());
    assertThat(g.exitCode()).isEqualTo(2);
    assertThat(g.err().strip()).startsWith("earshot: " + garbage + ": unrecognised audio container").doesNotContain("\n");

    CliRunner missing = CliRunner.run("fbank", dir.resolve("none.wav").toString(), "-o", "x.npy");
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err().strip()).endsWith("none.wav: no such file");

    CliRunner badOption = CliRunner.run("fbank", shortClip.toString(), "-o", "x.npy", "--window", "triangle");
    assertThat(badOption.exitCode()).isEqualTo(2);
    assertThat(badOption.err().strip()).contains("window_type: unknown window 'triangle'");

    CliRunner badConfig = CliRunner.run("fbank", shortClip.toString(), "-o", "x.npy", "--high-freq", "9000");
    assertThat(badConfig.exitCode()).isEqualTo(2);
    assertThat(badConfig.err().strip()).startsWith("earshot: highFreqHz:");
  }

  @Test
  void infoDescribesFormats() throws Exception {
    Path wav = tone("c.wav", 8000, 8000);
    CliRunner r = CliRunner.run("info", wav.toString(), "--json");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("\"sampleRateHz\" : 8000", "\"frames\" : 8000", "\"bitsPerSample\" : 16");
  }

  @Test
  void statsSkipsBadClipsAndReports() throws Exception {
    tone("x1.wav", 16000, 16000);
    tone("x2.wav", 8000, 16000);
    Files.writeString(dir.resolve("broken.wav"), "RIFF");
    CliRunner r = CliRunner.run("stats", dir.toString(), "--json");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("skipped", "broken.wav");
    assertThat(r.out()).contains("\"clips\" : 2");
  }

  @Test
  void demoRunsEndToEndOnASmallSetting() {
    Path out = dir.resolve("demo");
    CliRunner r = CliRunner.run("demo", "--out", out.toString(), "--pool", "96", "--train-per-class", "2",
        "--test-per-class", "2", "--pretrain-steps", "12", "--batch-size", "8", "--epochs", "2");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("SSAST-pretrained", "from scratch", "difference", "12 steps x 8 clips");
    assertThat(out.resolve("runs/pretrain/curves.png")).exists();
    assertThat(out.resolve("runs/pretrain/metrics.csv")).exists();
    assertThat(dev.earshot.train.Checkpoint.latest(out.resolve("runs/pretrain/checkpoint"))).isPresent();
    assertThat(out.resolve("runs/finetune-pretrained/confusion.png")).exists();
    assertThat(out.resolve("runs/finetune-scratch/confusion.png")).exists();
  }

  @Test
  void demoDataOnlyWritesTheThreeFoldersAndStops() throws Exception {
    Path out = dir.resolve("demo-data");
    CliRunner r = CliRunner.run("demo", "--data-only", "--out", out.toString(), "--pool", "24", "--train-per-class",
        "1", "--test-per-class", "2");
    assertThat(r.exitCode()).as(r.err()).isZero();
    try (var pool = java.nio.file.Files.list(out.resolve("data/pool"))) {
      assertThat(pool.count()).isEqualTo(24);
    }
    assertThat(out.resolve("data/train")).isDirectory();
    assertThat(out.resolve("data/test")).isDirectory();
    assertThat(out.resolve("runs")).doesNotExist();
  }
}
