package dev.earshot.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The single atomic writer: what it replaces, what it refuses, the modes it leaves. */
class AtomicFileTest {
  @TempDir Path dir;

  @Test
  void newFilesGetTheUmaskModeAndReplacedFilesKeepTheirs() throws Exception {
    Path plain = dir.resolve("plain.txt");
    Files.writeString(plain, "x"); // created like any program creates a file: 0666 & ~umask
    Path written = dir.resolve("out.npy");
    Npy.write(written, NpyArray.ofFloats(new float[] {1, 2}, 2));
    assertThat(Files.getPosixFilePermissions(written)).isEqualTo(Files.getPosixFilePermissions(plain));

    Files.setPosixFilePermissions(written, PosixFilePermissions.fromString("rw-r-----"));
    Npy.write(written, NpyArray.ofFloats(new float[] {3}, 1));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(written))).isEqualTo("rw-r-----");
    assertThat(Npy.read(written).toFloats()).containsExactly(3f);
  }

  @Test
  void refusesToReplaceAFifoOrAFolder() throws Exception {
    Path fifo = dir.resolve("pipe.npy");
    Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assumeTrue(p.waitFor() == 0, "mkfifo is available");
    assertThatThrownBy(() -> Npy.write(fifo, NpyArray.ofFloats(new float[] {1}, 1)))
        .isInstanceOf(OutputFileException.class)
        .hasMessageContaining("pipe.npy")
        .hasMessageContaining("FIFO");
    assertThat((Integer) Files.getAttribute(fifo, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 0170000)
        .as("still a FIFO").isEqualTo(0010000);

    Path folder = Files.createDirectory(dir.resolve("folder.wav"));
    assertThatThrownBy(() -> AtomicFile.writeString(folder, "x"))
        .isInstanceOf(OutputFileException.class).hasMessageContaining("a directory");
    assertThat(Files.isDirectory(folder)).isTrue();
    assertThat(leftovers()).isEmpty();
  }

  @Test
  void devicesAreRefusedBeforeAnythingIsWritten() {
    // checked without writing: a regression here must not replace the machine's /dev/full
    assertThatThrownBy(() -> OutputPath.requireFile(Path.of("/dev/full")))
        .isInstanceOf(OutputFileException.class).hasMessageContaining("character device");
    assertThatThrownBy(() -> OutputPath.requireDirectory(Path.of("/dev/null")))
        .isInstanceOf(OutputFileException.class).hasMessageContaining("not a folder");
  }

  @Test
  void symbolicLinksAreFollowedAndKept() throws Exception {
    Path target = dir.resolve("real.txt");
    Files.writeString(target, "old");
    Path link = Files.createSymbolicLink(dir.resolve("link.txt"), Path.of("real.txt"));
    AtomicFile.writeString(link, "new");
    assertThat(Files.isSymbolicLink(link)).isTrue();
    assertThat(Files.readString(target)).isEqualTo("new");

    Path dangling = Files.createSymbolicLink(dir.resolve("dangling.txt"), Path.of("sub/created.txt"));
    AtomicFile.writeString(dangling, "made");
    assertThat(Files.isSymbolicLink(dangling)).isTrue();
    assertThat(Files.readString(dir.resolve("sub/created.txt"))).isEqualTo("made");

    Path loop = Files.createSymbolicLink(dir.resolve("loop"), Path.of("loop"));
    assertThatThrownBy(() -> AtomicFile.writeString(loop, "x"))
        .isInstanceOf(OutputFileException.class).hasMessageContaining("symbolic links");
  }

  @Test
  void aFailedWriteLeavesTheOldFileAndNoTemporary() throws Exception {
    Path file = dir.resolve("weights.safetensors");
    Safetensors.write(file, Map.of("a", HostTensor.ofFloats(new float[] {1}, 1)), Map.of());
    byte[] before = Files.readAllBytes(file);
    assertThatThrownBy(() -> AtomicFile.write(file, out -> {
      out.write(new byte[100]);
      throw new IOException("disk full (simulated)");
    })).hasMessageContaining("simulated");
    assertThat(Files.readAllBytes(file)).isEqualTo(before);
    assertThat(leftovers()).isEmpty();
  }

  @Test
  void safetensorsBytesDoNotDependOnTheMetadataMapOrder() throws Exception {
    Map<String, HostTensor> t = Map.of("w", HostTensor.ofFloats(new float[] {1, 2}, 2));
    java.util.LinkedHashMap<String, String> ab = new java.util.LinkedHashMap<>();
    ab.put("format", "pt");
    ab.put("producer", "earshot");
    java.util.LinkedHashMap<String, String> ba = new java.util.LinkedHashMap<>();
    ba.put("producer", "earshot");
    ba.put("format", "pt");
    Path a = dir.resolve("a.safetensors");
    Path b = dir.resolve("b.safetensors");
    Safetensors.write(a, t, ab);
    Safetensors.write(b, t, ba);
    assertThat(Files.readAllBytes(a)).isEqualTo(Files.readAllBytes(b));
    assertThat(new String(Files.readAllBytes(a), StandardCharsets.ISO_8859_1)).contains("{\"format\":\"pt\",\"producer\"");
  }

  private java.util.List<Path> leftovers() throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
    }
  }
}
