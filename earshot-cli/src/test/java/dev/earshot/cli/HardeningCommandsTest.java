package dev.earshot.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.earshot.tensor.TensorScope;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.earshot.audio.WavWriter;
import dev.earshot.features.Normalization;
import dev.earshot.io.Npy;
import dev.earshot.model.AudioTransformer;
import dev.earshot.model.ModelDirectory;
import dev.earshot.model.ModelRegistry;
import dev.earshot.model.OutputActivation;
import dev.earshot.model.PretrainedSpec;
import dev.earshot.testing.DatasetTrees;
import dev.earshot.train.Checkpoint;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad values, bad outputs, bad clips and interrupted runs, from the command line (issue 17). */
class HardeningCommandsTest {
  @TempDir Path dir;

  @Test
  void numbersThatMakeNoSenseAreRefusedWithExitTwo() {
    String missing = dir.resolve("no-model").toString();
    String[][] cases = {
      {"--batch-size", "embed", "--model", missing, "-o", dir.resolve("e.npy").toString(), "--batch-size", "0", "x.wav"},
      {"--batch-size", "classify", "--model", missing, "--batch-size", "-2", "x.wav"},
      {"--top-k", "classify", "--model", missing, "--top-k", "-3", "x.wav"},
      {"--target-frames", "stats", "--target-frames", "-1", dir.toString()},
      {"--batch-size", "pretrain", "--data", "unlabeled:" + dir, "-o", dir.resolve("r").toString(), "--batch-size", "0"},
      {"--lr", "finetune", "--data", dir.toString(), "--scratch", "vit-micro", "-o", dir.resolve("f").toString(), "--lr",
          "-1"},
    };
    for (String[] c : cases) {
      CliRunner r = CliRunner.run(java.util.Arrays.copyOfRange(c, 1, c.length));
      assertThat(r.exitCode()).as(String.join(" ", c) + "\n" + r.err()).isEqualTo(2);
      assertThat(r.err()).as(String.join(" ", c)).contains("earshot: " + c[0] + ": must be");
    }
  }

  @Test
  void outputsThatAreNotRegularFilesAreRefusedBeforeWork() throws Exception {
    Path fifo = dir.resolve("out.npy");
    Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assumeTrue(p.waitFor() == 0, "mkfifo is available");
    Path wav = dir.resolve("a.wav");
    Files.write(wav, WavWriter.encode(new float[][] {new float[8000]}, 16000, WavWriter.Coding.PCM16));
    CliRunner r = CliRunner.run("fbank", wav.toString(), "-o", fifo.toString());
    assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
    assertThat(r.err()).contains("FIFO");
    assertThat((Integer) Files.getAttribute(fifo, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 0170000)
        .isEqualTo(0010000);

    Path file = Files.writeString(dir.resolve("run-is-a-file"), "x");
    CliRunner pre = CliRunner.run("pretrain", "--data", "unlabeled:" + dir.resolve("nothing-here"), "-o",
        file.toString());
    assertThat(pre.exitCode()).isEqualTo(2);
    assertThat(pre.err()).contains("run-is-a-file: is a regular file, not a folder");
  }

  /** A micro model directory (with a two-class head when {@code classes} is 2). */
  private Path model(String name, int classes) throws Exception {
    Path d = dir.resolve(name);
    try (TensorScope m = TensorScope.newBaseScope()) {
      ModelDirectory.write(d, new AudioTransformer(m, ModelRegistry.get("vit-micro", 64, classes), 1),
          PretrainedSpec.ast(Normalization.AUDIOSET, 64, classes == 0 ? List.of() : List.of("a", "b"),
              OutputActivation.SOFTMAX, "test"), null);
    }
    return d;
  }

  /** Two good clips and one at 999,983 Hz (it once took the whole command down with an OutOfMemoryError). */
  private Path inputs() throws Exception {
    Path in = dir.resolve("in");
    Files.createDirectories(in);
    float[] x = new float[16000];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (0.2 * Math.sin(i * 0.03));
    }
    Files.write(in.resolve("a.wav"), WavWriter.encode(new float[][] {x}, 16000, WavWriter.Coding.PCM16));
    Files.write(in.resolve("b.wav"), WavWriter.encode(new float[][] {x}, 22050, WavWriter.Coding.PCM16));
    Files.write(in.resolve("bad.wav"), WavWriter.encode(new float[][] {x}, 999_983, WavWriter.Coding.PCM16));
    return in;
  }

  @Test
  void embedAndClassifySkipABadClipAndStillWriteTheGoodOnes() throws Exception {
    Path in = inputs();
    Path out = dir.resolve("emb.npy");
    CliRunner embed = CliRunner.run("embed", "--model", model("encoder", 0).toString(), in.toString(), "-o",
        out.toString());
    assertThat(embed.exitCode()).as(embed.err()).isEqualTo(2);
    assertThat(Npy.read(out).shape()).containsExactly(2, 64);
    assertThat(Files.readAllLines(Path.of(out + ".files.txt"))).hasSize(2);
    assertThat(Files.readString(Path.of(out + ".skipped.txt"))).contains("bad.wav", "999983 Hz");

    CliRunner classify = CliRunner.run("classify", "--model", model("classifier", 2).toString(), "--json",
        in.toString());
    assertThat(classify.exitCode()).as(classify.err()).isEqualTo(2);
    JsonNode json = new ObjectMapper().readTree(classify.out());
    assertThat(json).hasSize(3);
    assertThat(json.get(2).get("skipped").asText()).contains("bad.wav");
  }

  @Test
  void fineTuningListsSkippedTrainingClipsInItsResults() throws Exception {
    Path data = new DatasetTrees().folder(dir.resolve("data"), 2, 4);
    Files.writeString(data.resolve("class0/corrupt.wav"), "RIFF this is not audio");
    CliRunner r = CliRunner.run("finetune", "--data", data.toString(), "--scratch", "ssast-micro-patch", "--frames",
        "48", "--norm", "-4,4", "--epochs", "1", "--batch-size", "4", "--protocol", "random", "-o",
        dir.resolve("ft").toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    String results = Files.readString(dir.resolve("ft/results.json"));
    assertThat(results).contains("corrupt.wav");
    assertThat(r.err()).contains("earshot: skipped", "corrupt.wav");
  }

  @Test
  void pretrainResumesFromTheRunFolderAloneAndTheProgressContinues() throws Exception {
    Path pool = new DatasetTrees().folder(dir.resolve("pool"), 2, 4);
    // one clip at 999,983 Hz once ended the whole run with "data loading failed: OutOfMemoryError"
    Files.write(pool.resolve("class0/odd-rate.wav"), WavWriter.encode(new float[][] {new float[20_000]}, 999_983,
        WavWriter.Coding.PCM16));
    Path run = dir.resolve("run");
    CliRunner first = CliRunner.run("pretrain", "--data", "unlabeled:" + pool, "-o", run.toString(), "--frames", "48",
        "--steps", "6", "--batch-size", "4", "--norm", "-4,4", "--checkpoint-every", "3");
    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(Files.readString(run.resolve("skipped.txt"))).contains("odd-rate.wav", "999983 Hz");
    // turn the final checkpoint back into the step-3 one, as if the run had been killed after step 3
    Path root = run.resolve("checkpoint");
    Path six = Checkpoint.latest(root).orElseThrow();
    Path three = root.resolve("step-000003");
    Files.move(six, three);
    Files.writeString(three.resolve(Checkpoint.STATE),
        Files.readString(three.resolve(Checkpoint.STATE)).replaceFirst("\"step\" : 6", "\"step\" : 3"));
    Files.writeString(root.resolve(Checkpoint.LATEST), "step-000003\n");
    assertThat(Checkpoint.readState(root).step()).isEqualTo(3);

    String elsewhere = System.getProperty("user.dir");
    CliRunner resumed = CliRunner.run("pretrain", "--resume", run.toString());
    assertThat(resumed.exitCode()).as(resumed.err()).isZero();
    assertThat(System.getProperty("user.dir")).isEqualTo(elsewhere);
    assertThat(resumed.err()).contains("4/6").doesNotContain(" 1/6 ");
    assertThat(Checkpoint.readState(root).step()).isEqualTo(6);
    assertThat(resumed.out()).contains("pretraining ssast");
  }
}
