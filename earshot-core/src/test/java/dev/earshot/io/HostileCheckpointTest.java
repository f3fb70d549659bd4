package dev.earshot.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.earshot.testing.PickleBytes;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints built to exhaust memory, time or the stack, or to crash the reader with an untyped exception:
 * each must end, quickly, in a {@link CheckpointFormatException} (or an {@link NpyFormatException}) naming
 * the file.
 */
class HostileCheckpointTest {
  @TempDir Path dir;

  private static final Map<String, byte[]> ONE_FLOAT = Map.of("0", new byte[4]);

  private void assertRefused(Path file, String messagePart) {
    assertRefused(() -> TorchCheckpointReader.read(file), file, messagePart);
  }

  private static void assertRefused(Executable read, Path file, String messagePart) {
    assertThatThrownBy(() -> assertTimeoutPreemptively(Duration.ofSeconds(2), read))
        .isInstanceOf(CheckpointFormatException.class)
        .hasMessageStartingWith(file + ": ")
        .hasMessageContaining(messagePart)
        .satisfies(e -> assertThat(e.getMessage().length()).as("message length").isLessThan(600));
  }

  /** memo 40 = a list of two references to memo 39 = ... : 2^40 leaves from 200 bytes. */
  private static PickleBytes doubledList(PickleBytes p) {
    p.op(']').put(0).op('0');
    for (int i = 1; i <= 40; i++) {
      p.mark().get(i - 1).get(i - 1).op('l').put(i);
      if (i < 40) {
        p.op('0');
      }
    }
    return p;
  }

  @Test
  void aSharedListDoubledFortyTimesIsNeverPrinted() throws Exception {
    // as the module of a STACK_GLOBAL, whose name goes into the error message
    byte[] asGlobal = doubledList(new PickleBytes()).string("system").op(0x93).stop();
    assertRefused(PickleBytes.archive(dir.resolve("doubled-global.pth"), asGlobal, Map.of()), "STACK_GLOBAL");
    // as the arguments of a tensor rebuild, which are described when malformed
    PickleBytes p = new PickleBytes().global("torch._utils", "_rebuild_tensor_v2");
    byte[] asArgs = doubledList(p).op('R').stop();
    assertRefused(PickleBytes.archive(dir.resolve("doubled-args.pth"), asArgs, Map.of()), "malformed");
  }

  @Test
  void aSelfContainingListAsADictKeyIsRefused() throws Exception {
    byte[] pickle = new PickleBytes().op('}').op(']').put(0).get(0).op('a').op('N').op('s').stop();
    assertRefused(PickleBytes.archive(dir.resolve("self-key.pth"), pickle, Map.of()), "unhashable dict key");
  }

  @Test
  void deepNestingIsRefused() throws Exception {
    PickleBytes p = new PickleBytes();
    for (int i = 0; i < 5000; i++) {
      p.op(']');
    }
    for (int i = 0; i < 4999; i++) {
      p.op('a');
    }
    assertRefused(PickleBytes.archive(dir.resolve("deep.pth"), p.stop(), Map.of()), "levels deep");
  }

  @Test
  void strideZeroViewsOfBillionsOfElementsAreRefused() throws Exception {
    byte[] huge = new PickleBytes().tensor("0", 1, 0, new long[] {1L << 31}, new long[] {0}).stop();
    assertRefused(PickleBytes.archive(dir.resolve("stride0-2^31.pth"), huge, ONE_FLOAT), "too large");
    byte[] big = new PickleBytes().tensor("0", 1, 0, new long[] {1L << 30}, new long[] {0}).stop();
    assertRefused(PickleBytes.archive(dir.resolve("stride0-2^30.pth"), big, ONE_FLOAT), "more than its storage");
  }

  @Test
  void sizesThatOverflowAreRefused() throws Exception {
    byte[] pickle = new PickleBytes().tensor("0", 1, 0, new long[] {1L << 40, 1L << 40}, new long[] {1, 1}).stop();
    assertRefused(PickleBytes.archive(dir.resolve("overflow.pth"), pickle, ONE_FLOAT), "overflows 64 bits");
  }

  @Test
  void missingOrMistypedNumbersAreRefused() throws Exception {
    PickleBytes p = new PickleBytes().global("torch._utils", "_rebuild_tensor_v2").mark();
    p.mark().string("storage").global("torch", "FloatStorage").string("0").string("cpu").op('N').op('t').op('Q');
    p.integer(0).tuple(new long[] {1}).tuple(new long[] {1}).op(0x89).op(')').op('t').op('R');
    assertRefused(PickleBytes.archive(dir.resolve("numel-none.pth"), p.stop(), ONE_FLOAT),
        "element count is None");
    // SHORT_BINUNICODE8 with a length beyond 2^31
    byte[] longString = new PickleBytes().op(0x8d).int64(1L << 40).stop();
    assertRefused(PickleBytes.archive(dir.resolve("long-string.pth"), longString, Map.of()), "runs past the end");
  }

  @Test
  void safetensorsShapesThatOverflowOrOverlapAreRefused() throws Exception {
    Path overflow = safetensors("overflow.safetensors",
        "{\"w\":{\"dtype\":\"F32\",\"shape\":[1099511627776,1099511627776],\"data_offsets\":[0,4]}}", 4);
    assertRefused(() -> Safetensors.read(overflow), overflow, "overflows 64 bits");
    Path text = safetensors("text-shape.safetensors",
        "{\"w\":{\"dtype\":\"F32\",\"shape\":[\"a\"],\"data_offsets\":[0,4]}}", 4);
    assertRefused(() -> Safetensors.read(text), text, "not a non-negative integer");
    StringBuilder many = new StringBuilder("{");
    for (int i = 0; i < 1000; i++) {
      many.append(i == 0 ? "" : ",").append("\"t").append(i).append("\":{\"dtype\":\"F32\",\"shape\":[1024],"
          + "\"data_offsets\":[0,4096]}");
    }
    Path overlap = safetensors("overlap.safetensors", many.append('}').toString(), 4096);
    assertRefused(() -> Safetensors.read(overlap), overlap, "overlap");
  }

  @Test
  void npyShapesThatAreNegativeOrOverflowAreRefused() throws Exception {
    for (String shape : new String[] {"(-1,)", "(4294967296, 4294967296, 4294967296)"}) {
      String header = "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }";
      Path p = dir.resolve("bad.npy");
      ByteBuffer b = ByteBuffer.allocate(10 + header.length() + 1 + 8).order(ByteOrder.LITTLE_ENDIAN);
      b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) (header.length() + 1));
      b.put(header.getBytes(StandardCharsets.ISO_8859_1)).put((byte) '\n');
      Files.write(p, b.array());
      assertThatThrownBy(() -> Npy.read(p)).isInstanceOf(NpyFormatException.class).hasMessageContaining("shape");
    }
    String header = "{'descr': '', 'fortran_order': False, 'shape': (1,), }\n";
    byte[] bytes = new byte[10 + header.length() + 4];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0})
        .putShort((short) header.length()).put(header.getBytes(StandardCharsets.ISO_8859_1));
    Path empty = dir.resolve("empty-descr.npy");
    Files.write(empty, bytes);
    assertThatThrownBy(() -> Npy.read(empty)).isInstanceOf(NpyFormatException.class).hasMessageContaining("dtype");
  }

  private Path safetensors(String name, String header, int dataBytes) throws Exception {
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(h.length).put(h);
    Path p = dir.resolve(name);
    Files.write(p, b.array());
    return p;
  }
}
