package dev.earshot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.earshot.audio.Waveform;
import dev.earshot.audio.WavWriter;
import dev.earshot.io.Npy;
import dev.earshot.io.Safetensors;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** import, embed, classify and export end to end on the converted fixture checkpoints. */
class ModelCommandsTest {
  @TempDir static Path dir;
  static Path fixtures;
  static Path wavs;

  @BeforeAll
  static void setUp() throws Exception {
    fixtures = Path.of(ModelCommandsTest.class.getResource("/fixtures/models/cases.json").toURI()).getParent();
    wavs = dir.resolve("wavs");
    for (int k = 0; k < 3; k++) {
      float[] x = new float[16000];
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) (0.2 * Math.sin(2 * Math.PI * (300 + 400 * k) * i / 16000.0));
      }
      WavWriter.write(wavs.resolve("tone" + k + ".wav"), new Waveform(x, 16000), WavWriter.Coding.PCM16);
    }
    Files.writeString(wavs.resolve("broken.wav"), "RIFF....WAVEfmt ");
  }

  @Test
  void importClassifyAndExportAst() throws Exception {
    Path model = dir.resolve("ast");
    Path labels = dir.resolve("labels.csv");
    Files.writeString(labels, "index,mid,display_name\n0,/m/a,Speech\n1,/m/b,\"Dog, bark\"\n2,/m/c,Music\n"
        + "3,/m/d,Siren\n4,/m/e,Bell\n5,/m/f,Wind\n6,/m/g,Rain\n");
    CliRunner imp = CliRunner.run("import", "--from", "ast", fixtures.resolve("ast/model.pth").toString(),
        "--out", model.toString(), "--heads", "4", "--frames", "100", "--labels", labels.toString());
    assertThat(imp.exitCode()).as(imp.err()).isZero();
    assertThat(imp.out()).contains("D=64 depth=2 heads=4", "7 classes", "ignored 4 tensor(s)");

    CliRunner cls = CliRunner.run("classify", "--model", model.toString(), wavs.toString(), "--top-k", "3", "--json",
        "--logits", dir.resolve("logits.npy").toString());
    assertThat(cls.exitCode()).isEqualTo(2); // broken.wav skipped
    assertThat(cls.err()).contains("skipped", "broken.wav");
    assertThat(cls.out()).contains("tone0.wav", "\"predictions\"").doesNotContain("class 0");
    assertThat(Files.readString(model.resolve("model.json"))).contains("\"Dog, bark\"", "\"Speech\"");
    assertThat(Npy.read(dir.resolve("logits.npy")).shape()).containsExactly(3, 7);

    // --features path: the fixture input is already normalised (B, T, F)
    CliRunner feats = CliRunner.run("classify", "--model", model.toString(), "--features",
        fixtures.resolve("ast/input.npy").toString(), "--top-k", "1");
    assertThat(feats.exitCode()).as(feats.err()).isZero();
    assertThat(feats.out()).contains("input.npy[0]", "input.npy[1]");

    Path exported = dir.resolve("ast.safetensors");
    CliRunner exp = CliRunner.run("export", "--model", model.toString(), "--out", exported.toString());
    assertThat(exp.exitCode()).isZero();
    var contents = Safetensors.read(exported);
    assertThat(contents.tensors()).containsKeys("blocks.0.attn.qkv.weight", "pos_embed", "head.linear.weight");
    assertThat(contents.metadata().get("earshot_model")).contains("\"embedDim\":64");
  }

  @Test
  void importAndEmbedEat() throws Exception {
    Path model = dir.resolve("eat");
    CliRunner imp = CliRunner.run("import", "--from", "eat",
        fixtures.resolve("eat_pretrain/checkpoint.pt").toString(), "--out", model.toString(), "--teacher");
    assertThat(imp.exitCode()).as(imp.err()).isZero();
    assertThat(imp.out()).contains("EMA teacher", "POST_LN", "SINCOS_2D");
    Path out = dir.resolve("emb.npy");
    CliRunner emb = CliRunner.run("embed", "--model", model.toString(), wavs.resolve("tone0.wav").toString(),
        wavs.resolve("tone1.wav").toString(), "--out", out.toString());
    assertThat(emb.exitCode()).as(emb.err()).isZero();
    assertThat(Npy.read(out).shape()).containsExactly(2, 64);
    // frequency rows: 8 rows of 16 mel bins, each row's mean and std over time
    CliRunner rows = CliRunner.run("embed", "--model", model.toString(), wavs.resolve("tone0.wav").toString(),
        "--out", out.toString(), "--pooling", "mean", "--bands", "--time-std");
    assertThat(rows.exitCode()).as(rows.err()).isZero();
    assertThat(Npy.read(out).shape()).containsExactly(1, 2 * 8 * 64);
    CliRunner clsRows = CliRunner.run("embed", "--model", model.toString(), wavs.resolve("tone0.wav").toString(),
        "--out", out.toString(), "--pooling", "cls", "--bands");
    assertThat(clsRows.exitCode()).isNotZero();
    assertThat(clsRows.err()).contains("readout.bands", "mean pooling");
    CliRunner frames = CliRunner.run("embed", "--model", model.toString(), wavs.resolve("tone0.wav").toString(),
        "--out", out.toString(), "--frames", "--layer", "1");
    assertThat(frames.exitCode()).as(frames.err()).isZero();
    // a 1 s clip (98 frames) in the 1024-frame input: the steps of its audio, not of the padding
    assertThat(Npy.read(out).shape()).containsExactly(1, 6, 64); // steps of 16 frames, D = 64
    float[] times = Npy.read(dir.resolve("emb.timestamps.npy")).toFloats(); // 16 frames of 10 ms per step
    assertThat(times).hasSize(6);
    assertThat(times[0]).isEqualTo(80f);
    assertThat(times[5]).isEqualTo(880f);

    // the imported EAT encoder fine-tunes with EAT's recipe (CLS head, layer decay 0.65, EAT normalisation)
    Path labelled = new dev.earshot.testing.DatasetTrees().folder(dir.resolve("eat-data"), 2, 4);
    CliRunner ft = CliRunner.run("finetune", "--init", model.toString(), "--data", labelled.toString(), "--recipe",
        "finetune-eat-esc50", "--frames", "96", "--epochs", "1", "--batch-size", "4", "--norm", "model", "--out",
        dir.resolve("eat-ft").toString());
    assertThat(ft.exitCode()).as(ft.err()).isZero();
    assertThat(Files.readString(dir.resolve("eat-ft/model/model.json"))).contains("\"pooling\" : \"CLS\"");
  }

  @Test
  void importAsitTeacherOrStudent() throws Exception {
    Path asit = fixtures.resolve("../asit/checkpoint.pth");
    Path teacher = dir.resolve("asit-teacher");
    CliRunner imp = CliRunner.run("import", "--from", "asit", asit.toString(), "--out", teacher.toString(), "--heads",
        "4");
    assertThat(imp.exitCode()).as(imp.err()).isZero();
    assertThat(imp.out()).contains("EMA teacher", "PRE_LN", "64 frames", "32 kHz");
    Path student = dir.resolve("asit-student");
    CliRunner imp2 = CliRunner.run("import", "--from", "asit", asit.toString(), "--out", student.toString(), "--heads",
        "4", "--student");
    assertThat(imp2.exitCode()).as(imp2.err()).isZero();
    assertThat(imp2.out()).contains("the student's backbone");
    Path out = dir.resolve("asit-emb.npy");
    CliRunner emb = CliRunner.run("embed", "--model", teacher.toString(), wavs.resolve("tone0.wav").toString(),
        "--out", out.toString());
    assertThat(emb.exitCode()).as(emb.err()).isZero();
    assertThat(Npy.read(out).shape()).containsExactly(1, 64);
  }

  @Test
  void badCheckpointsAndAmbiguityFailCleanly() throws Exception {
    Path evil = dir.resolve("evil.pth");
    Files.write(evil, java.util.Arrays.copyOf(Files.readAllBytes(fixtures.resolve("ssast_pre_patch/model.pth")), 5000));
    CliRunner truncated = CliRunner.run("import", "--from", "ssast", evil.toString(), "--out", dir.resolve("x").toString());
    assertThat(truncated.exitCode()).isEqualTo(2);
    assertThat(truncated.err().strip()).startsWith("earshot: " + evil + ": ").doesNotContain("\n");
    assertThat(dir.resolve("x")).doesNotExist();

    CliRunner ambiguous = CliRunner.run("import", "--from", "ssast",
        fixtures.resolve("ssast_ft_patch_t48/model.pth").toString(), "--out", dir.resolve("y").toString(),
        "--heads", "4");
    assertThat(ambiguous.exitCode()).isEqualTo(2);
    assertThat(ambiguous.err()).contains("ambiguous (24 positions fit 2 strides", "give --frames N and --stride");
    CliRunner resolved = CliRunner.run("import", "--from", "ssast",
        fixtures.resolve("ssast_ft_patch_t48/model.pth").toString(), "--out", dir.resolve("y").toString(),
        "--heads", "4", "--stride", "16", "--frames", "48");
    assertThat(resolved.exitCode()).as(resolved.err()).isZero();
    assertThat(resolved.out()).contains("48 frames x 128 bins", "grid 8 x 3");

    CliRunner wrongFormat = CliRunner.run("import", "--from", "eat", fixtures.resolve("ast/model.pth").toString(),
        "--out", dir.resolve("z").toString());
    assertThat(wrongFormat.exitCode()).isEqualTo(2);
    assertThat(wrongFormat.err()).contains("no entry 'model'", "right --from format").hasLineCount(1);

    CliRunner noModel = CliRunner.run("embed", "--model", dir.resolve("nope").toString(), "a.wav", "-o", "x.npy");
    assertThat(noModel.exitCode()).isEqualTo(2);
    assertThat(noModel.err()).contains("not a model directory");
  }
}
