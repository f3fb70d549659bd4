package dev.earshot.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.earshot.EarshotException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Resuming a metrics log: later lines are dropped, a torn last line (a kill mid-write) is not an error. */
class MetricsLogTest {
  @TempDir Path dir;

  @Test
  void aTornLastLineIsDroppedOnResume() throws Exception {
    Path jsonl = dir.resolve("metrics.jsonl");
    Files.writeString(jsonl, "{\"step\":1.0,\"loss\":2.5}\n{\"step\":2.0,\"loss\":2.25}\n{\"step\":3.0,\"loss\":2.1}\n"
        + "{\"step\":4.0,\"lo");
    MetricsLog log = new MetricsLog(dir);
    log.resumeAt(3);
    assertThat(log.rows()).extracting(r -> r.get("step")).containsExactly(1.0, 2.0, 3.0);
    assertThat(Files.readString(jsonl)).endsWith("{\"step\":3.0,\"loss\":2.1}\n");

    log.resumeAt(2);
    assertThat(Files.readAllLines(jsonl)).hasSize(2);
  }

  @Test
  void damageBeforeTheLastLineIsAnError() throws Exception {
    Files.writeString(dir.resolve("metrics.jsonl"), "{\"step\":1.0}\nnot json\n{\"step\":2.0}\n");
    assertThatThrownBy(() -> new MetricsLog(dir).resumeAt(2)).isInstanceOf(EarshotException.class)
        .hasMessageContaining("line 2");
  }
}
