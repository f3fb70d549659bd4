package dev.earshot.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * libtorch loads into an empty native cache (a fresh machine, a new Spark executor) even where a system-wide
 * libtorch exists: JavaCPP loads libtorch.so before unpacking libtorch_cpu.so, and the dynamic linker would take
 * the system's (Debian's python3-torch) — a crash — unless the engine unpacks it first.
 */
class FirstNativeLoadTest {
  @TempDir Path cache;

  @Test
  void libtorchLoadsIntoAnEmptyCache() throws Exception {
    Path log = cache.resolve("probe.log");
    ProcessBuilder pb = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-Xmx256m",
        "-Dorg.bytedeco.javacpp.cachedir=" + cache.resolve("javacpp"), "-cp",
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
        NativeLoadProbe.class.getName()).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
    Process p = pb.start();
    assertThat(p.waitFor(3, TimeUnit.MINUTES)).as("the probe finished").isTrue();
    assertThat(p.exitValue()).as(Files.readString(log)).isZero();
    assertThat(Files.readString(log)).contains("sum 3.0");
  }
}
