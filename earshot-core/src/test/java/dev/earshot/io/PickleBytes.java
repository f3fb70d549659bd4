package dev.earshot.io;

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
final class PickleBytes {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  PickleBytes() {
    op(0x80).op(2); // PROTO 2
  }

  PickleBytes op(int code) {
    out.write(code);
    return this;
  }

  PickleBytes mark() {
    return op('(');
  }

  PickleBytes global(String module, String name) {
    out.writeBytes(("c" + module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
    return this;
  }

  PickleBytes string(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    op('X').int32(b.length);
    out.writeBytes(b);
    return this;
  }

  /** BININT (or BININT1 for 0..255). */
  PickleBytes integer(long v) {
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

  PickleBytes put(int memo) {
    return op('q').op(memo);
  }

  PickleBytes get(int memo) {
    return op('h').op(memo);
  }

  PickleBytes int32(int v) {
    for (int i = 0; i < 4; i++) {
      out.write(v >>> (8 * i));
    }
    return this;
  }

  PickleBytes int64(long v) {
    for (int i = 0; i < 8; i++) {
      out.write((int) (v >>> (8 * i)));
    }
    return this;
  }

  /** {@code ('storage', torch.FloatStorage, key, 'cpu', numel)} as a persistent id (BINPERSID). */
  PickleBytes floatStorage(String key, long numel) {
    mark().string("storage").global("torch", "FloatStorage").string(key).string("cpu").integer(numel).op('t');
    return op('Q');
  }

  /** {@code _rebuild_tensor_v2(FloatStorage key/numel, offset, size, stride, False, OrderedDict())}. */
  PickleBytes tensor(String key, long numel, long offset, long[] size, long[] stride) {
    global("torch._utils", "_rebuild_tensor_v2").mark().floatStorage(key, numel).integer(offset);
    tuple(size).tuple(stride);
    op(0x89).global("collections", "OrderedDict").op(')').op('R').op('t');
    return op('R');
  }

  PickleBytes tuple(long[] values) {
    mark();
    for (long v : values) {
      integer(v);
    }
    return op('t');
  }

  byte[] stop() {
    op('.');
    return out.toByteArray();
  }

  /** A torch.save-style zip holding {@code archive/data.pkl} and the given storages. */
  static Path archive(Path file, byte[] pickle, Map<String, byte[]> storages) throws IOException {
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
}
