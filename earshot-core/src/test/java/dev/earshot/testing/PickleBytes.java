package dev.earshot.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Writes pickle opcodes by hand (protocol 2-4), for hostile-checkpoint tests and fuzz seeds. */
public final class PickleBytes {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  public PickleBytes() {
    op(0x80).op(2); // PROTO 2
  }

  public PickleBytes op(int code) {
    out.write(code);
    return this;
  }

  public PickleBytes mark() {
    return op('(');
  }

  public PickleBytes global(String module, String name) {
    out.writeBytes(("c" + module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
    return this;
  }

  public PickleBytes string(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    op('X').int32(b.length);
    out.writeBytes(b);
    return this;
  }

  /** BININT (or BININT1 for 0..255). */
  public PickleBytes integer(long v) {
    if (v >= 0 && v < 256) {
      return op('K').op((int) v);
    }
    if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
      return op('J').int32((int) v);
    }
    op(0x8a).op(8);
    for (int i = 0; i < 8; i++) {
      out.write((int) (v >>> (8 * i)));
    }
    return this;
  }

  public PickleBytes put(int memo) {
    return op('q').op(memo);
  }

  public PickleBytes get(int memo) {
    return op('h').op(memo);
  }

  public PickleBytes int32(int v) {
    for (int i = 0; i < 4; i++) {
      out.write(v >>> (8 * i));
    }
    return this;
  }

  public PickleBytes int64(long v) {
    for (int i = 0; i < 8; i++) {
      out.write((int) (v >>> (8 * i)));
    }
    return this;
  }

  /** {@code ('storage', torch.FloatStorage, key, 'cpu', numel)} as a persistent id (BINPERSID). */
  public PickleBytes floatStorage(String key, long numel) {
    return storage("FloatStorage", key, numel);
  }

  /** {@code ('storage', torch.TYPE, key, 'cpu', numel)} as a persistent id (BINPERSID). */
  public PickleBytes storage(String type, String key, long numel) {
    mark().string("storage").global("torch", type).string(key).string("cpu").integer(numel).op('t');
    return op('Q');
  }

  /** {@code _rebuild_tensor_v2(FloatStorage key/numel, offset, size, stride, False, OrderedDict())}. */
  public PickleBytes tensor(String key, long numel, long offset, long[] size, long[] stride) {
    return tensor("FloatStorage", key, numel, offset, size, stride);
  }

  /** As above with a storage of another type (LongStorage, ...). */
  public PickleBytes tensor(String type, String key, long numel, long offset, long[] size, long[] stride) {
    global("torch._utils", "_rebuild_tensor_v2").mark().storage(type, key, numel).integer(offset);
    tuple(size).tuple(stride);
    op(0x89).global("collections", "OrderedDict").op(')').op('R').op('t');
    return op('R');
  }

  public PickleBytes tuple(long[] values) {
    mark();
    for (long v : values) {
      integer(v);
    }
    return op('t');
  }

  public byte[] stop() {
    op('.');
    return out.toByteArray();
  }

  /** A torch.save-style zip holding {@code archive/data.pkl} and the given storages. */
  public static Path archive(Path file, byte[] pickle, Map<String, byte[]> storages) throws IOException {
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
      put(zip, "archive/data.pkl", pickle);
      for (Map.Entry<String, byte[]> e : storages.entrySet()) {
        put(zip, "archive/data/" + e.getKey(), e.getValue());
      }
      put(zip, "archive/version", "3\n".getBytes(StandardCharsets.US_ASCII));
    }
    return file;
  }

  private static void put(ZipOutputStream zip, String name, byte[] data) throws IOException {
    ZipEntry e = new ZipEntry(name);
    e.setMethod(ZipEntry.STORED);
    e.setSize(data.length);
    CRC32 crc = new CRC32();
    crc.update(data);
    e.setCrc(crc.getValue());
    zip.putNextEntry(e);
    zip.write(data);
    zip.closeEntry();
  }

  /**
   * A torch.save zip of a state dict ({@code OrderedDict} of contiguous tensors): float tensors as FloatStorage,
   * integer ones as LongStorage, one storage per tensor.
   */
  public static Path stateDict(Path file, java.util.Map<String, dev.earshot.io.HostTensor> tensors) throws IOException {
    PickleBytes p = new PickleBytes().global("collections", "OrderedDict").op(')').op('R').mark();
    java.util.Map<String, byte[]> storages = new java.util.LinkedHashMap<>();
    int key = 0;
    for (java.util.Map.Entry<String, dev.earshot.io.HostTensor> e : tensors.entrySet()) {
      dev.earshot.io.HostTensor t = e.getValue();
      long[] shape = t.shape();
      long[] stride = new long[shape.length];
      long s = 1;
      for (int i = shape.length - 1; i >= 0; i--) {
        stride[i] = s;
        s *= shape[i];
      }
      java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(t.size() * (t.isFloating() ? 4 : 8))
          .order(java.nio.ByteOrder.LITTLE_ENDIAN);
      if (t.isFloating()) {
        b.asFloatBuffer().put(t.floats());
      } else {
        b.asLongBuffer().put(t.longs());
      }
      String k = Integer.toString(key++);
      storages.put(k, b.array());
      p.string(e.getKey()).tensor(t.isFloating() ? "FloatStorage" : "LongStorage", k, t.size(), 0, shape, stride);
    }
    return archive(file, p.op('u').stop(), storages);
  }
}
