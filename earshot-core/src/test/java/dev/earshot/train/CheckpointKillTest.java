package dev.earshot.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.earshot.io.HostTensor;
import dev.earshot.io.Safetensors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 at every step of {@link Checkpoint#saveFiles}: a separate JVM saves step 2 over a run that has step 1
 * and halts just before its k-th file operation, for every k. Afterwards the newest complete checkpoint is step 1
 * or step 2 (step 2 from the rename on), its files are intact, and the next save leaves no leftovers.
 */
class CheckpointKillTest {
  @TempDir Path dir;

  @Test
  void aKillBetweenAnyTwoFileOperationsLeavesTheNewestCompleteCheckpoint() throws Exception {
    int operations = countOperations();
    assertThat(operations).as("file operations of a save").isGreaterThanOrEqualTo(10);
    List<Long> resumedFrom = new ArrayList<>();
    for (int k = 0; k < operations; k++) {
      Path root = dir.resolve("kill-" + k).resolve("checkpoint");
      save(root, 1);
      Process p = new ProcessBuilder(javaExecutable(), "-cp", System.getProperty("java.class.path"),
          KillDuringSave.class.getName(), root.toString(), "2", Integer.toString(k))
          .redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as("killed before operation %d: %s", k, output).isEqualTo(137);

      Path latest = Checkpoint.latest(root).orElseThrow(() -> new AssertionError("no checkpoint after kill"));
      long step = Checkpoint.readState(latest).step();
      assertThat(step).as("kill before operation %d", k).isIn(1L, 2L);
      if (!resumedFrom.isEmpty()) {
        assertThat(step).as("once step 2 exists, it stays the newest").isGreaterThanOrEqualTo(
            resumedFrom.get(resumedFrom.size() - 1));
      }
      resumedFrom.add(step);
      assertIntact(latest, step);

      // what a resumed run does: clean up, carry on, save the next step
      Checkpoint.removeLeftovers(root);
      save(root, step + 1);
      Path next = Checkpoint.latest(root).orElseThrow();
      assertThat(Checkpoint.readState(next).step()).isEqualTo(step + 1);
      assertIntact(next, step + 1);
      assertThat(entries(root)).as("after the next save").containsExactlyInAnyOrder(Checkpoint.LATEST,
          String.format("step-%06d", step + 1));
    }
    assertThat(resumedFrom).contains(1L, 2L);
  }

  @Test
  void aCheckpointLeftByTheEarlierLayoutsCrashIsStillFound() throws Exception {
    // the earlier save renamed checkpoint/ to .checkpoint.old, then the new copy into place: killed in between
    Path run = dir.resolve("legacy");
    Path old = run.resolve(".checkpoint.old");
    Files.createDirectories(old);
    Safetensors.write(old.resolve(Checkpoint.WEIGHTS), KillDuringSave.weights(5), Map.of());
    Files.writeString(old.resolve(Checkpoint.STATE), "{\"step\":5,\"seed\":7,\"description\":{}}");
    Files.createDirectories(run.resolve(".checkpoint.tmp123"));
    Path root = run.resolve("checkpoint");
    assertThat(Checkpoint.readState(Checkpoint.latest(root).orElseThrow()).step()).isEqualTo(5);
    Checkpoint.removeLeftovers(root);
    assertThat(run.resolve(".checkpoint.tmp123")).doesNotExist();
    save(root, 6);
    assertThat(old).doesNotExist();
    assertThat(Checkpoint.readState(root).step()).isEqualTo(6);
  }

  private int countOperations() throws Exception {
    Path root = dir.resolve("count").resolve("checkpoint");
    save(root, 1);
    Process p = new ProcessBuilder(javaExecutable(), "-cp", System.getProperty("java.class.path"),
        KillDuringSave.class.getName(), root.toString(), "2", "-1").redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(output).startsWith("operations=");
    return Integer.parseInt(output.substring("operations=".length()).lines().findFirst().orElseThrow());
  }

  private static void save(Path root, long step) throws IOException {
    Checkpoint.saveFiles(root, KillDuringSave.weights(step), KillDuringSave.weights(step + 100),
        KillDuringSave.state(step), op -> { });
  }

  private static void assertIntact(Path checkpoint, long step) {
    Map<String, HostTensor> w = Safetensors.read(checkpoint.resolve(Checkpoint.WEIGHTS)).tensors();
    assertThat(w).isEqualTo(KillDuringSave.weights(step));
    assertThat(Safetensors.read(checkpoint.resolve(Checkpoint.OPTIMIZER)).tensors())
        .isEqualTo(KillDuringSave.weights(step + 100));
  }

  private static List<String> entries(Path root) throws IOException {
    try (Stream<Path> s = Files.list(root)) {
      return s.map(p -> p.getFileName().toString()).toList();
    }
  }

  private static String javaExecutable() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
