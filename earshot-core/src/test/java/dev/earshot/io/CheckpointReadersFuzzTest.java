package dev.earshot.io;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.earshot.EarshotException;
import dev.earshot.testing.PickleBytes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.util.Map;

/**
 * Coverage-guided fuzz targets for the pickle reader (a torch.save data.pkl with the torch allow-list and a few
 * storages) and the safetensors reader. A typed {@link EarshotException} is an accepted outcome; anything else
 * is a finding. Committed inputs live in {@code CheckpointReadersFuzzTestInputs/}.
 */
class CheckpointReadersFuzzTest {
  private static final Path PICKLE = Path.of("fuzz/data.pkl");
  private static final Path SAFETENSORS = Path.of("fuzz.safetensors");
  /** Storages "0".."3": 1, 4, 16 and 256 float32 values. */
  private static final Map<String, byte[]> STORAGES =
      Map.of("0", new byte[4], "1", new byte[16], "2", new byte[64], "3", new byte[1024]);

  @FuzzTest(maxDuration = "8s")
  void pickle(byte[] data) {
    readPickle(data);
  }

  @FuzzTest(maxDuration = "8s")
  void safetensors(byte[] data) {
    readSafetensors(data);
  }

  /** Entry point of the standalone driver (long runs): pickles. */
  public static final class Pickle {
    /** Loads (and instruments) the reader before the timed executions start. */
    public static void fuzzerInitialize() {
      readPickle(new PickleBytes().tensor("1", 4, 0, new long[] {2, 2}, new long[] {2, 1}).stop());
    }

    public static void fuzzerTestOneInput(byte[] data) {
      readPickle(data);
    }
  }

  /** Entry point of the standalone driver (long runs): safetensors. */
  public static final class Safe {
    /** Loads (and instruments) Jackson before the timed executions start. */
    public static void fuzzerInitialize() {
      readSafetensors(validSafetensors());
    }

    public static void fuzzerTestOneInput(byte[] data) {
      readSafetensors(data);
    }
  }

  static byte[] validSafetensors() {
    String header = "{\"__metadata__\":{\"a\":\"b\"},\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
    byte[] h = header.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    return ByteBuffer.allocate(8 + h.length + 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(h.length).put(h)
        .array();
  }

  static void readPickle(byte[] data) {
    try {
      TorchCheckpointReader.unpickle(PICKLE, data, new TorchCheckpointReader.StorageEntries() {
        @Override
        public long size(String key) {
          byte[] b = STORAGES.get(key);
          return b == null ? -1 : b.length;
        }

        @Override
        public byte[] read(String key, int bytes) {
          return java.util.Arrays.copyOf(STORAGES.get(key), Math.min(bytes, STORAGES.get(key).length));
        }
      });
    } catch (EarshotException expected) {
      // refused with a typed error
    }
  }

  static void readSafetensors(byte[] data) {
    try {
      Safetensors.read(SAFETENSORS, new BytesChannel(data));
    } catch (EarshotException expected) {
      // refused with a typed error
    } catch (IOException e) {
      throw new AssertionError("in-memory reads do not fail", e);
    }
  }

  /** A read-only channel over a byte array. */
  static final class BytesChannel implements SeekableByteChannel {
    private final byte[] data;
    private long position;

    BytesChannel(byte[] data) {
      this.data = data;
    }

    @Override
    public int read(ByteBuffer dst) {
      if (position >= data.length) {
        return -1;
      }
      int n = (int) Math.min(dst.remaining(), data.length - position);
      dst.put(data, (int) position, n);
      position += n;
      return n;
    }

    @Override
    public int write(ByteBuffer src) {
      throw new UnsupportedOperationException();
    }

    @Override
    public long position() {
      return position;
    }

    @Override
    public SeekableByteChannel position(long newPosition) {
      position = newPosition;
      return this;
    }

    @Override
    public long size() {
      return data.length;
    }

    @Override
    public SeekableByteChannel truncate(long size) {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean isOpen() {
      return true;
    }

    @Override
    public void close() {}
  }
}
