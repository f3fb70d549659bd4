package dev.earshot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.earshot.audio.synth.ProceduralDataset;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pretrain --workers 2} on loopback: a killed worker stops the other with an error naming it, and the run
 * resumes from its last checkpoint — with two workers to the same curve as an uninterrupted run, and with one.
 */
class DistributedTrainingTest {
  @TempDir Path dir;

  private String[] pretrain(Path data, Path run, String... extra) {
    List<String> args = new ArrayList<>(List.of("pretrain", "--method", "ssast", "--data", "unlabeled:" + data,
        "--model", "ssast-micro-patch", "--frames", "48", "--steps", "40", "--batch-size", "8", "--checkpoint-every",
        "10", "--dist-timeout", "20", "--out", run.toString()));
    args.addAll(List.of(extra));
    return args.toArray(new String[0]);
  }

  @Test
  void aKilledWorkerStopsTheOtherNamingItAndTheRunResumesOnTwoOrOneWorkers() throws Exception {
    Path data = dir.resolve("data");
    new ProceduralDataset(24, 1, 1, 0.5, 3).writeTo(data, d -> { });
    Path pool = data.resolve("pool");

    CliRunner full = CliRunner.run(pretrain(pool, dir.resolve("full"), "--workers", "2"));
    assertThat(full.exitCode()).as(full.err()).isZero();
    assertThat(full.err()).contains("starting 2 workers");
    List<String> reference = Files.readAllLines(dir.resolve("full").resolve("metrics.jsonl"));
    assertThat(reference).hasSize(4);

    Path run = dir.resolve("killed");
    CompletableFuture<CliRunner> killed = CompletableFuture.supplyAsync(
        () -> CliRunner.run(pretrain(pool, run, "--workers", "2")));
    waitForStep(run, 20, killed);
    ProcessHandle rank1 = worker(1).orElseThrow(() -> new AssertionError("no rank-1 worker found"));
    rank1.destroyForcibly();
    CliRunner stopped = killed.get(2, TimeUnit.MINUTES);
    assertThat(stopped.exitCode()).isNotZero();
    assertThat(stopped.err()).contains("rank 1 has stopped").contains("worker rank 1 of 2 failed");

    Path copy = dir.resolve("killed-copy");
    copyTree(run, copy);
    CliRunner resumed = CliRunner.run(pretrain(pool, run, "--workers", "2", "--resume"));
    assertThat(resumed.exitCode()).as(resumed.err()).isZero();
    List<String> after = Files.readAllLines(run.resolve("metrics.jsonl"));
    assertThat(after).hasSize(4);
    for (int i = 0; i < 4; i++) {
      assertThat(loss(after.get(i))).as("step %d", 10 * (i + 1)).isCloseTo(loss(reference.get(i)),
          org.assertj.core.data.Offset.offset(1e-5));
    }

    CliRunner oneWorker = CliRunner.run(pretrain(pool, copy, "--resume"));
    assertThat(oneWorker.exitCode()).as(oneWorker.err()).isZero();
    assertThat(Files.readAllLines(copy.resolve("metrics.jsonl"))).hasSize(4);
    assertThat(copy.resolve("model").resolve("model.json")).exists();
  }

  private static double loss(String jsonLine) {
    int at = jsonLine.indexOf("\"loss\":");
    String rest = jsonLine.substring(at + 7).trim();
    int end = 0;
    while (end < rest.length() && "-+.0123456789eE".indexOf(rest.charAt(end)) >= 0) {
      end++;
    }
    return Double.parseDouble(rest.substring(0, end));
  }

  /** Waits until the run has logged {@code step} (and given its checkpoint a moment). */
  private static void waitForStep(Path run, int step, CompletableFuture<?> job) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (System.nanoTime() < deadline && !job.isDone()) {
      Path metrics = run.resolve("metrics.jsonl");
      if (Files.exists(metrics) && Files.readAllLines(metrics).stream().anyMatch(l -> l.contains("\"step\":" + step))) {
        Thread.sleep(300);
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the run did not reach step " + step + (job.isDone() ? " (it ended)" : ""));
  }

  /** The worker process of {@code rank} started by this JVM (its environment says RANK). */
  private static Optional<ProcessHandle> worker(int rank) {
    return ProcessHandle.current().descendants().filter(p -> {
      try {
        String env = new String(Files.readAllBytes(Path.of("/proc", Long.toString(p.pid()), "environ")),
            StandardCharsets.UTF_8);
        return ("\0" + env).contains("\0RANK=" + rank + "\0");
      } catch (IOException e) {
        return false;
      }
    }).findFirst();
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (var paths = Files.walk(from)) {
      for (Path p : (Iterable<Path>) paths::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }
}
