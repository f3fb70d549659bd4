package dev.earshot.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.earshot.testing.Fixtures;
import dev.earshot.testing.PickleBytes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile and damaged checkpoints are refused with a clear error, and nothing in them is executed. */
class UntrustedCheckpointTest {
  @TempDir Path dir;

  /** A torch-style zip archive holding {@code archive/data.pkl} and optional storages. */
  private Path archive(String name, byte[] pickle, Map<String, byte[]> storages) throws IOException {
    return PickleBytes.archive(dir.resolve(name), pickle, storages);
  }

  private static byte[] bytes(String latin1) {
    return latin1.getBytes(StandardCharsets.ISO_8859_1);
  }

  @Test
  void reduceOfOsSystemIsRefusedAndNotExecuted() throws IOException {
    Path marker = dir.resolve("pwned");
    // protocol 2: GLOBAL os.system, (the command,), REDUCE, STOP
    byte[] pickle = bytes("\u0080\u0002cos\nsystem\nq\u0000X" + le32(("touch " + marker).length()) + "touch "
        + marker + "\u0085R.");
    Path file = archive("evil.pth", pickle, Map.of());
    assertThatThrownBy(() -> TorchCheckpointReader.read(file))
        .isInstanceOf(CheckpointFormatException.class)
        .hasMessageStartingWith(file + ": refused pickle global 'os.system'")
        .hasMessageContaining("never executes code");
    assertThat(marker).doesNotExist();
  }

  @Test
  void otherDangerousGlobalsAreRefused() throws IOException {
    for (String global : new String[] {"builtins\neval", "posix\nsystem", "subprocess\nPopen", "builtins\ngetattr",
        "torch\nload", "__main__\nEvil"}) {
      Path file = archive("g.pth", bytes("\u0080\u0002c" + global + "\n)R."), Map.of());
      assertThatThrownBy(() -> TorchCheckpointReader.read(file))
          .isInstanceOf(CheckpointFormatException.class)
          .hasMessageContaining("refused pickle global '" + global.replace('\n', '.') + "'");
    }
    // STACK_GLOBAL (protocol 4) takes the same gate
    Path file = archive("sg.pth", bytes("\u0080\u0004\u008c\u0002os\u008c\u0006system\u0093)R."), Map.of());
    assertThatThrownBy(() -> TorchCheckpointReader.read(file)).hasMessageContaining("refused pickle global 'os.system'");
  }

  @Test
  void truncatedCheckpointIsRefused() throws IOException {
    byte[] full = Files.readAllBytes(Fixtures.path("/fixtures/models/ssast_pre_patch/model.pth"));
    Path cut = dir.resolve("cut.pth");
    Files.write(cut, Arrays.copyOf(full, full.length / 2));
    assertThatThrownBy(() -> TorchCheckpointReader.read(cut))
        .isInstanceOf(CheckpointFormatException.class)
        .hasMessageStartingWith(cut + ": ");
  }

  @Test
  void sizesClaimedByTheFileAreCheckedBeforeAllocation() throws IOException {
    // a FloatStorage claiming 1e9 elements whose archive entry holds 16 bytes
    String pid = "(X\u0007\u0000\u0000\u0000storagectorch\nFloatStorage\nX\u0001\u0000\u0000\u00000X\u0003\u0000\u0000\u0000cpu"
        + "J\u0000\u00ca\u009a\u003bt";
    String tensor = "ctorch._utils\n_rebuild_tensor_v2\n(" + pid + "QK\u0000K\u0004\u0085K\u0001\u0085\u0089)tR.";
    Path huge = archive("huge.pth", bytes("\u0080\u0002" + tensor), Map.of("0", new byte[16]));
    assertThatThrownBy(() -> TorchCheckpointReader.read(huge))
        .isInstanceOf(CheckpointFormatException.class)
        .hasMessageContaining("claims 1000000000 elements");
    // a tensor view reaching past its storage
    String pid4 = pid.replace("J\u0000\u00ca\u009a\u003b", "K\u0004");
    String view = "ctorch._utils\n_rebuild_tensor_v2\n(" + pid4 + "QK\u0002K\u0004\u0085K\u0001\u0085\u0089)tR.";
    Path outside = archive("view.pth", bytes("\u0080\u0002" + view), Map.of("0", new byte[16]));
    assertThatThrownBy(() -> TorchCheckpointReader.read(outside))
        .isInstanceOf(CheckpointFormatException.class)
        .hasMessageContaining("reaches element 5 of a storage of 4");
  }

  @Test
  void aWellFormedTensorIsRebuiltWithOffsetAndStride() throws IOException {
    String pid = "(X\u0007\u0000\u0000\u0000storagectorch\nFloatStorage\nX\u0001\u0000\u0000\u00000X\u0003\u0000\u0000\u0000cpuK\u0006t";
    // shape (2, 2), stride (1, 2), offset 1: the transpose of [[1,2],[3,4]] stored after one leading value
    String tensor = "ctorch._utils\n_rebuild_tensor_v2\n(" + pid + "QK\u0001K\u0002K\u0002\u0086K\u0001K\u0002\u0086\u0089)tR.";
    ByteBuffer data = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
    data.putFloat(9).putFloat(1).putFloat(3).putFloat(2).putFloat(4).putFloat(9);
    Path file = archive("ok.pth", bytes("\u0080\u0002" + tensor), Map.of("0", data.array()));
    Object t = TorchCheckpointReader.read(file);
    assertThat(t).isInstanceOf(HostTensor.class);
    assertThat(((HostTensor) t).floats()).containsExactly(1, 2, 3, 4);
  }

  @Test
  void notACheckpointAtAll() throws IOException {
    Path text = dir.resolve("notes.pth");
    Files.writeString(text, "hello");
    assertThatThrownBy(() -> TorchCheckpointReader.read(text)).hasMessageContaining("not a PyTorch zip checkpoint");
    Path legacy = dir.resolve("legacy.pth");
    Files.write(legacy, bytes("\u0080\u0002\u008a\nlegacy"));
    assertThatThrownBy(() -> TorchCheckpointReader.read(legacy)).hasMessageContaining("legacy (torch < 1.6) format");
  }

  @Test
  void malformedSafetensorsAreRefused() throws IOException {
    Path ok = dir.resolve("w.safetensors");
    Safetensors.write(ok, Map.of("a", HostTensor.ofFloats(new float[] {1, 2, 3}, 3)), Map.of());
    assertThat(Safetensors.read(ok).tensors().get("a").floats()).containsExactly(1, 2, 3);
    byte[] bytes = Files.readAllBytes(ok);
    Path cut = dir.resolve("cut.safetensors");
    Files.write(cut, Arrays.copyOf(bytes, bytes.length - 4));
    assertThatThrownBy(() -> Safetensors.read(cut)).isInstanceOf(CheckpointFormatException.class)
        .hasMessageContaining("claims bytes [0, 12) of a 8-byte data section");
    Path lie = dir.resolve("lie.safetensors");
    byte[] copy = bytes.clone();
    ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1L << 40);
    Files.write(lie, copy);
    assertThatThrownBy(() -> Safetensors.read(lie)).hasMessageContaining("header length");
  }

  private static String le32(int n) {
    return new String(new byte[] {(byte) n, (byte) (n >> 8), (byte) (n >> 16), (byte) (n >> 24)},
        StandardCharsets.ISO_8859_1);
  }

  @SuppressWarnings("unused")
  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
