package dev.earshot.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {
  @TempDir Path dir;

  @Test
  void roundTripsAndReadsNumpyFiles() throws Exception {
    Path p = dir.resolve("m.npy");
    NpyArray m = NpyArray.ofMatrix(new float[][] {{1, 2, 3}, {4, 5, 6}});
    Npy.write(p, m);
    assertThat(Npy.read(p)).isEqualTo(m);
    byte[] bytes = Files.readAllBytes(p);
    assertThat((bytes.length - 6 * 4) % 64).isZero(); // header padded to 64 bytes like NumPy
    Path v = dir.resolve("v.npy");
    Npy.write(v, NpyArray.ofLongs(new long[] {7, -8}, 2));
    assertThat(Npy.read(v).toLongs()).containsExactly(7, -8);
    assertThat(new String(Files.readAllBytes(v), 10, 60, java.nio.charset.StandardCharsets.US_ASCII))
        .contains("'shape': (2,)");
  }

  @Test
  void rejectsWhatItCannotRead() throws Exception {
    Path junk = dir.resolve("junk.npy");
    Files.writeString(junk, "hello world, not numpy");
    assertThatThrownBy(() -> Npy.read(junk)).isInstanceOf(NpyFormatException.class).hasMessageContaining("bad magic");
    Path p = dir.resolve("t.npy");
    Npy.write(p, NpyArray.ofFloats(new float[] {1, 2, 3, 4}, 4));
    byte[] bytes = Files.readAllBytes(p);
    Files.write(p, java.util.Arrays.copyOf(bytes, bytes.length - 4));
    assertThatThrownBy(() -> Npy.read(p)).hasMessageContaining("data truncated");
    String big = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1).replace("<f4", ">f4");
    Files.write(p, big.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    assertThatThrownBy(() -> Npy.read(p)).hasMessageContaining("unsupported dtype '>f4'");
  }
}
