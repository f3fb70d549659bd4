package dev.earshot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.earshot.testing.DatasetTrees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** pretrain, finetune and evaluate from the command line on every supported dataset layout. */
class TrainingCommandsTest {
  @TempDir Path dir;
  final DatasetTrees trees = new DatasetTrees();

  private static final String[] TINY = {"--scratch", "ssast-micro-patch", "--frames", "48", "--norm", "-4,4",
      "--epochs", "1", "--batch-size", "4"};

  private CliRunner finetune(String data, Path out, String... extra) {
    String[] args = new String[6 + TINY.length + extra.length];
    args[0] = "finetune";
    args[1] = "--data";
    args[2] = data;
    args[3] = "--out";
    args[4] = out.toString();
    args[5] = "--recipe=finetune-cpu";
    System.arraycopy(TINY, 0, args, 6, TINY.length);
    System.arraycopy(extra, 0, args, 6 + TINY.length, extra.length);
    CliRunner r = CliRunner.run(args);
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(out.resolve("results.json")).exists();
    assertThat(out.resolve("results.md")).exists();
    return r;
  }

  @Test
  void esc50RunsFiveFoldsWithMeanAndStd() throws Exception {
    Path root = trees.esc50(dir.resolve("ESC-50"), 2);
    CliRunner r = finetune("esc50:" + root, dir.resolve("esc"));
    assertThat(r.out()).contains("fold 1", "fold 5", "mean ± std");
    JsonNode report = new ObjectMapper().readTree(dir.resolve("esc/results.json").toFile());
    assertThat(report.get("folds")).hasSize(5);
    assertThat(report.get("summary").get("accuracy")).hasSize(2);
    assertThat(dir.resolve("esc/fold-3/confusion.png")).exists();
    CliRunner eval = CliRunner.run("evaluate", "--model", dir.resolve("esc/fold-1/model").toString(), "--data",
        "esc50:" + root, "--group", "1", "-o", dir.resolve("esc-eval").toString());
    assertThat(eval.exitCode()).as(eval.err()).isZero();
    assertThat(eval.out()).contains("accuracy");
    assertThat(dir.resolve("esc-eval/confusion.png")).exists();
  }

  @Test
  void speechCommandsVoxCelebAndIemocapUseTheirProtocols() throws Exception {
    CliRunner sc = finetune("speechcommands:" + trees.speechCommands(dir.resolve("sc"), "no", "yes", "up"),
        dir.resolve("sc-out"));
    assertThat(sc.out()).contains("| testing | 9 | 3 |");
    CliRunner vox = finetune("voxceleb1:" + trees.voxCeleb1(dir.resolve("vox"), 3), dir.resolve("vox-out"));
    assertThat(vox.out()).contains("| test | 6 | 3 |");
    CliRunner iemocap = finetune("iemocap:" + trees.iemocap(dir.resolve("iemocap")), dir.resolve("iemo-out"));
    assertThat(iemocap.out()).contains("fold Session1", "fold Session2");
  }

  @Test
  void audioSetIsMultiLabelWithMapAndDprime() throws Exception {
    Path json = trees.audioSet(dir.resolve("as"), 9);
    CliRunner r = finetune("audioset:" + json, dir.resolve("as-out"), "--test", "audioset:" + json);
    assertThat(r.out()).contains("(multi-label)", "mAP", "AUC", "d_prime");
    Path model = dir.resolve("as-out/model");
    assertThat(Files.readString(model.resolve("model.json"))).contains("SIGMOID", "Dog, bark");
    CliRunner eval = CliRunner.run("evaluate", "--model", model.toString(), "--data", "audioset:" + json);
    assertThat(eval.exitCode()).as(eval.err()).isZero();
    assertThat(eval.out()).contains("mAP", "d_prime");
  }

  @Test
  void csvFolderAndPretrainThenFinetuneFromThePretrainedModel() throws Exception {
    Path csv = trees.csv(dir.resolve("c"), 2, 4);
    CliRunner c = finetune("csv:" + csv, dir.resolve("csv-out"));
    assertThat(c.out()).contains("| test | 6 | 2 |");
    Path folder = trees.folder(dir.resolve("f"), 2, 5);
    finetune(folder.toString(), dir.resolve("folder-out"), "--linear-probe");

    Path run = dir.resolve("pre");
    CliRunner pre = CliRunner.run("pretrain", "--data", "csv:" + csv, "--out", run.toString(), "--frames", "48",
        "--steps", "6", "--batch-size", "4", "--norm", "-4,4", "--checkpoint-every", "3");
    assertThat(pre.exitCode()).as(pre.err()).isZero();
    assertThat(run.resolve("model/model.json")).exists();
    assertThat(run.resolve("curves.png")).exists();
    CliRunner resumed = CliRunner.run("pretrain", "--data", "csv:" + csv, "--out", run.toString(), "--frames", "48",
        "--steps", "9", "--batch-size", "4", "--norm", "-4,4", "--checkpoint-every", "3", "--resume");
    assertThat(resumed.exitCode()).as(resumed.err()).isNotZero(); // steps changed: a different configuration
    assertThat(resumed.err()).contains("different configuration");

    CliRunner ft = CliRunner.run("finetune", "--data", folder.toString(), "--init", run.resolve("model").toString(),
        "--out", dir.resolve("from-pre").toString(), "--epochs", "1", "--batch-size", "4");
    assertThat(ft.exitCode()).as(ft.err()).isZero();
    assertThat(ft.out()).contains("random 80/20");
  }

  @Test
  void aResumedPretrainingMayReadItsEncoderAnotherWay() throws Exception {
    Path pool = trees.folder(dir.resolve("readout-pool"), 2, 4);
    Path run = dir.resolve("readout-run");
    String recipe = String.join("\n", "method: ssast", "model: ssast-micro-patch", "frames: 48", "steps: 4",
        "batchSize: 4", "normalization: \"-4,4\"", "checkpointEvery: 2", "ssast:", "  maskRatio: 0.5", "readout:",
        "  pooling: mean", "  layers: [1]", "");
    Path patches = dir.resolve("patches.yaml");
    Files.writeString(patches, recipe);
    Path rows = dir.resolve("rows.yaml");
    Files.writeString(rows, recipe + "  bands: true\n");
    CliRunner pre = CliRunner.run("pretrain", "--recipe", patches.toString(), "--data", "unlabeled:" + pool, "--out",
        run.toString());
    assertThat(pre.exitCode()).as(pre.err()).isZero();
    assertThat(Files.readString(run.resolve("model/model.json"))).contains("\"bands\" : false");
    // the readout is how the encoder is read, not how it is trained: the run resumes under another one
    CliRunner resumed = CliRunner.run("pretrain", "--recipe", rows.toString(), "--data", "unlabeled:" + pool, "--out",
        run.toString(), "--resume");
    assertThat(resumed.exitCode()).as(resumed.err()).isZero();
    assertThat(Files.readString(run.resolve("model/model.json"))).contains("\"bands\" : true");

    // embed reads the recorded readout (block 1 by 8 rows); each option replaces only its own part of it
    Path clip;
    try (var files = Files.walk(pool)) {
      clip = files.filter(f -> f.toString().endsWith(".wav")).findFirst().orElseThrow();
    }
    Path npy = dir.resolve("readout-emb.npy");
    java.util.function.Function<String[], int[]> embed = extra -> {
      List<String> args = new java.util.ArrayList<>(List.of("embed", "--model", run.resolve("model").toString(),
          clip.toString(), "--out", npy.toString()));
      args.addAll(List.of(extra));
      CliRunner r = CliRunner.run(args.toArray(new String[0]));
      assertThat(r.exitCode()).as(r.err()).isZero();
      return dev.earshot.io.Npy.read(npy).shape();
    };
    assertThat(embed.apply(new String[0])).containsExactly(1, 8 * 64);
    assertThat(embed.apply(new String[] {"--no-bands"})).containsExactly(1, 64);
    assertThat(embed.apply(new String[] {"--time-std"})).containsExactly(1, 2 * 8 * 64); // still rows of block 1
    // time steps under a readout with the std: 3 steps of 16 frames, each as wide as a token
    assertThat(embed.apply(new String[] {"--frames", "--time-std"})).containsExactly(1, 3, 64);
  }

  @Test
  void eatPretrainsResumesAndFineTunesFromTheCommandLine() throws Exception {
    Path pool = trees.folder(dir.resolve("eat-pool"), 2, 6);
    Path run = dir.resolve("eat-run");
    String[] args = {"pretrain", "--method", "eat", "--data", "unlabeled:" + pool, "--out", run.toString(), "--frames",
        "48", "--steps", "4", "--batch-size", "4", "--clones", "2", "--mask-ratio", "0.5", "--norm", "-4,4",
        "--checkpoint-every", "2"};
    CliRunner pre = CliRunner.run(args);
    assertThat(pre.exitCode()).as(pre.err()).isZero();
    assertThat(pre.out()).contains("pretraining eat (eat-micro)");
    assertThat(Files.readString(run.resolve("model/model.json"))).contains("POST_LN");
    String[] again = java.util.Arrays.copyOf(args, args.length + 1);
    again[args.length] = "--resume";
    CliRunner resumed = CliRunner.run(again); // same settings: continues from step 4 (nothing left to do)
    assertThat(resumed.exitCode()).as(resumed.err()).isZero();
    CliRunner ft = CliRunner.run("finetune", "--data", pool.toString(), "--init", run.resolve("model").toString(),
        "--out", dir.resolve("eat-ft").toString(), "--epochs", "1", "--batch-size", "4", "--recipe",
        "finetune-eat-esc50", "--frames", "48", "--norm", "model");
    assertThat(ft.exitCode()).as(ft.err()).isZero();
    assertThat(dir.resolve("eat-ft/results.json")).exists();
    CliRunner wrong = CliRunner.run("pretrain", "--method", "eat", "--data", "unlabeled:" + pool, "--out",
        dir.resolve("eat-wrong").toString(), "--mask-count", "3");
    assertThat(wrong.exitCode()).isEqualTo(2);
    assertThat(wrong.err()).contains("--mask-count is SSAST's");
  }

  @Test
  void asitPretrainsAndFineTunesFromTheTeacher() throws Exception {
    Path pool = trees.folder(dir.resolve("asit-pool"), 2, 6);
    Path recipe = dir.resolve("asit.yaml");
    Files.writeString(recipe, String.join("\n", "method: asit", "model: vit-micro", "frames: 48", "normalization: -4,4",
        "steps: 3", "batchSize: 4", "schedule: dino", "warmupSteps: 1", "clipNorm: 3", "clipPerParameter: true",
        "asit:", "  cropFrames: 32", "  outDimCls: 32", "  outDimData: 16", "  headHidden: 32", "  headBottleneck: 8",
        "  reconstructionHidden: 16", "  reconstructionBottleneck: 4", ""));
    Path run = dir.resolve("asit-run");
    CliRunner pre = CliRunner.run("pretrain", "--recipe", recipe.toString(), "--data", "unlabeled:" + pool, "--out",
        run.toString());
    assertThat(pre.exitCode()).as(pre.err()).isZero();
    assertThat(pre.out()).contains("pretraining asit (vit-micro)");
    assertThat(Files.readString(run.resolve("model/model.json"))).contains("asit pretraining (EMA teacher backbone)");
    assertThat(run.resolve("model-student/model.json")).exists();
    CliRunner ft = CliRunner.run("finetune", "--data", pool.toString(), "--init", run.resolve("model").toString(),
        "--out", dir.resolve("asit-ft").toString(), "--epochs", "1", "--batch-size", "4", "--frames", "48");
    assertThat(ft.exitCode()).as(ft.err()).isZero(); // 32-frame positions adapted to 48 frames
    CliRunner wrong = CliRunner.run("pretrain", "--method", "asit", "--data", "unlabeled:" + pool, "--out",
        dir.resolve("asit-wrong").toString(), "--mask-ratio", "0.5");
    assertThat(wrong.exitCode()).isEqualTo(2);
    assertThat(wrong.err()).contains("ASiT's corruption is set in the recipe");
  }

  @Test
  void ssmastPretrainsAMastThatFineTunesAndEvaluates() throws Exception {
    Path pool = trees.folder(dir.resolve("mast-pool"), 2, 6);
    Path run = dir.resolve("ssmast-run");
    CliRunner pre = CliRunner.run("pretrain", "--method", "ssmast", "--data", "unlabeled:" + pool, "--out",
        run.toString(), "--frames", "48", "--steps", "3", "--batch-size", "4", "--norm", "-4,4");
    assertThat(pre.exitCode()).as(pre.err()).isZero();
    assertThat(Files.readString(run.resolve("model/model.json"))).contains("multiscale-transformer");
    CliRunner ft = CliRunner.run("finetune", "--data", pool.toString(), "--init", run.resolve("model").toString(),
        "--out", dir.resolve("mast-ft").toString(), "--epochs", "1", "--batch-size", "4", "--frames", "64");
    assertThat(ft.exitCode()).as(ft.err()).isZero();
    CliRunner eval = CliRunner.run("evaluate", "--model", dir.resolve("mast-ft/model").toString(), "--data",
        pool.toString());
    assertThat(eval.exitCode()).as(eval.err()).isZero();
    assertThat(eval.out()).contains("accuracy");
    CliRunner scratch = CliRunner.run("finetune", "--data", pool.toString(), "--scratch", "mast-micro", "--frames",
        "600", "--out", dir.resolve("mast-scratch").toString(), "--epochs", "1", "--batch-size", "4", "--norm", "-4,4");
    assertThat(scratch.exitCode()).as(scratch.err()).isZero(); // 600 frames: longer than LAPE's MAST can take
  }

  @Test
  void compareRunsEveryMethodAndResumes() throws Exception {
    Path pool = trees.folder(dir.resolve("cmp-pool"), 2, 4);
    Path labelled = trees.folder(dir.resolve("cmp-task"), 2, 5);
    Path heldOut = trees.folder(dir.resolve("cmp-test"), 2, 3);
    Path out = dir.resolve("cmp");
    String[] args = {"compare", "--methods", "ssast,eat,asit,ssmast,scratch,logmel", "--pool", "unlabeled:" + pool,
        "--task",
        "tones=folder:" + labelled, "--test", "tones=folder:" + heldOut, "--budget-steps", "2", "--frames", "48",
        "--epochs", "1", "--repeats", "2", "--out", out.toString()};
    CliRunner first = CliRunner.run(args);
    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(first.out()).contains("| ssast |", "| eat |", "| asit |", "| ssmast |", "| scratch |", "tones fine-tune");
    JsonNode report = new ObjectMapper().readTree(out.resolve("results.json").toFile());
    assertThat(report.get("rows")).hasSize(9); // four methods, each one's architecture from scratch, log-mel
    assertThat(report.get("rows").get(7).get("model").asText()).isEqualTo("mast-micro");
    assertThat(first.out()).contains("| scratch | ssast-micro-patch |", "| scratch | mast-micro |",
        "| logmel | log-mel mean+std | none | — | — |");
    JsonNode logmel = report.get("rows").get(8).get("tasks").get("tones");
    assertThat(logmel.fieldNames()).toIterable().containsExactly("frozen"); // the baseline is evaluated frozen only
    assertThat(logmel.get("frozen").get("mean").asDouble()).isBetween(0.0, 1.0);
    for (JsonNode row : report.get("rows")) {
      if (row.get("method").asText().equals("logmel")) {
        continue;
      }
      for (String kind : new String[] {"probe", "finetune", "frozen", "frames"}) {
        assertThat(row.get("tasks").get("tones").get(kind).get("mean").asDouble()).isBetween(0.0, 1.0);
      }
    }
    // the frozen score of the random architecture and of the one snapshot (at the last step) of each method
    JsonNode progress = report.get("rows").get(0).get("progress");
    assertThat(progress).hasSize(2);
    assertThat(progress.get(1).get("step").asLong()).isEqualTo(2);
    assertThat(progress.get(1).get("spread").get("effectiveRank").asDouble()).isGreaterThan(1); // collapse shows here
    assertThat(out.resolve("pretrain/ssast/snapshots/step-2/model.json")).exists();
    assertThat(report.get("rows").get(4).get("progress")).isEmpty(); // scratch is not pretrained
    // the random architecture is the first point of a method's curve and the frozen score of its scratch row
    assertThat(progress.get(0).get("score").asDouble())
        .isEqualTo(report.get("rows").get(4).get("tasks").get("tones").get("frozen").get("mean").asDouble());
    // two seeds per fine-tune, each tested on the 6 held-out clips
    JsonNode seed8 = new ObjectMapper().readTree(out.resolve("tasks/tones/ssast/finetune/seed-8/results.json").toFile());
    assertThat(seed8.get("folds").get(0).get("testClips").asInt()).isEqualTo(6);
    assertThat(seed8.get("recipe").get("seed").asLong()).isEqualTo(8);
    for (String png : new String[] {"scores-finetune.png", "pretraining-loss.png", "score-vs-time.png"}) {
      assertThat(out.resolve(png)).exists();
    }
    long before = Files.getLastModifiedTime(out.resolve("tasks/tones/eat/finetune/seed-7/results.json")).toMillis();
    CliRunner again = CliRunner.run(args); // everything is done: nothing is recomputed
    assertThat(again.exitCode()).as(again.err()).isZero();
    assertThat(Files.getLastModifiedTime(out.resolve("tasks/tones/eat/finetune/seed-7/results.json")).toMillis())
        .isEqualTo(before);
    String table = first.out().substring(first.out().indexOf("| method |"), first.out().indexOf("results  "));
    assertThat(again.out()).contains(table); // the same numbers, read back from the finished runs
    assertThat(out.resolve("tasks/tones/eat/finetune/seed-7/inputs.json")).exists();
    // other fine-tuning settings in the same folder: the cached runs are refused, not read back as these
    String[] otherEpochs = args.clone();
    otherEpochs[java.util.Arrays.asList(args).indexOf("--epochs") + 1] = "2";
    CliRunner changed = CliRunner.run(otherEpochs);
    assertThat(changed.exitCode()).isEqualTo(2);
    assertThat(changed.err()).contains("computed with recipe = ", "\"epochs\":1.0", "use another --out");
  }

  @Test
  void compareTurnsAMinuteBudgetIntoMeasuredSteps() throws Exception {
    Path pool = trees.folder(dir.resolve("budget-pool"), 2, 4);
    Path labelled = trees.folder(dir.resolve("budget-task"), 2, 4);
    Path out = dir.resolve("budget");
    CliRunner r = CliRunner.run("compare", "--methods", "ssast", "--pool", "unlabeled:" + pool, "--task",
        "tones=folder:" + labelled, "--budget-minutes", "0.01", "--frames", "48", "--epochs", "1", "--out",
        out.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).containsPattern("ssast: [0-9.]+ s per step -> \\d+ steps in 0\\.0 min");
    long steps = new ObjectMapper().readTree(out.resolve("pretrain/ssast-budget.json").toFile()).asLong();
    assertThat(steps).isGreaterThanOrEqualTo(10); // at least 10 steps, however slow the machine
    JsonNode row = new ObjectMapper().readTree(out.resolve("results.json").toFile()).get("rows").get(0);
    assertThat(row.get("pretrainSteps").asLong()).isEqualTo(steps);
    assertThat(out.resolve("pretrain/ssast/snapshots/step-" + steps + "/model.json")).exists();
  }

  @Test
  void compareRunsAChosenSubsetOfEvaluationsAtATasksOwnLength() throws Exception {
    Path out = dir.resolve("sub");
    List<String> common = List.of("compare", "--methods", "ssast,scratch", "--pool",
        "unlabeled:" + trees.folder(dir.resolve("sub-pool"), 2, 4), "--task",
        "tones=folder:" + trees.folder(dir.resolve("sub-task"), 2, 4), "--budget-steps", "2", "--frames", "48",
        "--out", out.toString());
    CliRunner r = compare(common, "--task-frames", "tones=64", "--evaluations", "frozen,frames");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("| tones frozen clip | tones frozen frames |").doesNotContain("fine-tune |");
    JsonNode row = new ObjectMapper().readTree(out.resolve("results.json").toFile()).get("rows").get(0);
    assertThat(row.get("tasks").get("tones").fieldNames()).toIterable().containsExactly("frozen", "frames");
    assertThat(out.resolve("tasks/tones/ssast/finetune")).doesNotExist();
    // the 48-frame encoders were rebuilt for the task's 64 frames and the results say so
    assertThat(new ObjectMapper().readTree(out.resolve("tasks/tones/ssast/model-64/model.json").toFile())
        .get("spec").get("targetFrames").asInt()).isEqualTo(64);
    assertThat(new ObjectMapper().readTree(out.resolve("tasks/tones/ssast/frozen/results.json").toFile())
        .get("frames").asInt()).isEqualTo(64);
    CliRunner other = compare(common, "--evaluations", "frozen");
    assertThat(other.exitCode()).isEqualTo(2); // cached at 64 frames: not silently reused at 48
    assertThat(other.err()).contains("computed with frames = 64, but this comparison asks for 48");
  }

  private static CliRunner compare(List<String> common, String... extra) {
    List<String> args = new java.util.ArrayList<>(common);
    args.addAll(List.of(extra));
    return CliRunner.run(args.toArray(new String[0]));
  }

  @Test
  void badRecipesAndFlagsAreNamed() {
    CliRunner unknownKey = CliRunner.run("finetune", "--data", "x", "--scratch", "ssast-micro-patch", "--out",
        dir.resolve("o").toString(), "--recipe", writeRecipe("epochz: 3\n"));
    assertThat(unknownKey.exitCode()).isEqualTo(2);
    assertThat(unknownKey.err()).contains("unknown key 'epochz'");
    CliRunner noStart = CliRunner.run("finetune", "--data", "x", "--out", dir.resolve("o").toString());
    assertThat(noStart.exitCode()).isEqualTo(2);
    assertThat(noStart.err()).contains("--init", "--scratch");
  }

  private String writeRecipe(String yaml) {
    try {
      Path p = dir.resolve("r.yaml");
      Files.writeString(p, yaml);
      return p.toString();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
