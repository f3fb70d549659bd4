package dev.earshot.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads and writes the safetensors format (an 8-byte little-endian header length, a JSON header of
 * name → {dtype, shape, data_offsets}, then the raw little-endian data) on the Java heap.
 *
 * <p>Reading widens F16 and BF16 exactly and rounds F64 to float32 (DJL aborts the JVM on BF16 arrays, so
 * they never reach the engine), reads integer types as int64, and checks every header entry against the
 * file before allocating: offsets inside the data section, byte counts equal to shape x element size.
 * Writing emits F32 and I64, metadata in key order (identical inputs give identical bytes), atomically
 * ({@link AtomicFile}).
 */
public final class Safetensors {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long MAX_HEADER = 100L * 1024 * 1024;

  private Safetensors() {}

  /** The tensors of a file, in header order, plus its {@code __metadata__} strings. */
  public record Contents(Map<String, HostTensor> tensors, Map<String, String> metadata) {}

  public static Contents read(Path file) {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size < 8) {
        throw new CheckpointFormatException(file, "too short for a safetensors file (" + size + " bytes)");
      }
      ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      readFully(ch, lenBuf, 0);
      long headerLength = lenBuf.getLong(0);
      if (headerLength <= 0 || headerLength > MAX_HEADER || 8 + headerLength > size) {
        throw new CheckpointFormatException(file, "safetensors header length " + headerLength
            + " does not fit a file of " + size + " bytes");
      }
      ByteBuffer headerBuf = ByteBuffer.allocate((int) headerLength);
      readFully(ch, headerBuf, 8);
      JsonNode header;
      try {
        header = JSON.readTree(new String(headerBuf.array(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new CheckpointFormatException(file, "safetensors header is not valid JSON", e);
      }
      long dataStart = 8 + headerLength;
      long dataSize = size - dataStart;
      Map<String, HostTensor> tensors = new LinkedHashMap<>();
      Map<String, String> metadata = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (e.getKey().equals("__metadata__")) {
          e.getValue().fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
          continue;
        }
        tensors.put(e.getKey(), readTensor(file, ch, e.getKey(), e.getValue(), dataStart, dataSize));
      }
      return new Contents(tensors, metadata);
    } catch (NoSuchFileException e) {
      throw new CheckpointFormatException(file, "no such file", e);
    } catch (IOException e) {
      throw new CheckpointFormatException(file, "cannot read: " + e.getMessage(), e);
    }
  }

  private static HostTensor readTensor(Path file, FileChannel ch, String name, JsonNode info, long dataStart,
      long dataSize) throws IOException {
    String dtype = info.path("dtype").asText();
    JsonNode shapeNode = info.path("shape");
    JsonNode offsets = info.path("data_offsets");
    if (!shapeNode.isArray() || !offsets.isArray() || offsets.size() != 2) {
      throw new CheckpointFormatException(file, "tensor '" + name + "' has a malformed header entry");
    }
    long[] shape = new long[shapeNode.size()];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = shapeNode.get(i).asLong();
      if (shape[i] < 0) {
        throw new CheckpointFormatException(file, "tensor '" + name + "' has a negative dimension");
      }
    }
    int elementBytes = elementBytes(dtype);
    if (elementBytes < 0) {
      throw new CheckpointFormatException(file, "tensor '" + name + "' has unsupported dtype " + dtype);
    }
    long begin = offsets.get(0).asLong();
    long end = offsets.get(1).asLong();
    long numel = HostTensor.numel(shape);
    if (begin < 0 || end < begin || end > dataSize || end - begin != numel * elementBytes) {
      throw new CheckpointFormatException(file, "tensor '" + name + "' (" + dtype + " " + java.util.Arrays.toString(shape)
          + ") claims bytes [" + begin + ", " + end + ") of a " + dataSize + "-byte data section");
    }
    if (numel > Integer.MAX_VALUE - 8) {
      throw new CheckpointFormatException(file, "tensor '" + name + "' is too large for one array");
    }
    ByteBuffer raw = ByteBuffer.allocate((int) (end - begin)).order(ByteOrder.LITTLE_ENDIAN);
    readFully(ch, raw, dataStart + begin);
    raw.rewind();
    int n = (int) numel;
    switch (dtype) {
      case "F32": {
        float[] f = new float[n];
        raw.asFloatBuffer().get(f);
        return HostTensor.ofFloats(f, shape);
      }
      case "F64": {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
          f[i] = (float) raw.getDouble(8 * i);
        }
        return HostTensor.ofFloats(f, shape);
      }
      case "F16": {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
          f[i] = HalfFloats.halfToFloat(raw.getShort(2 * i));
        }
        return HostTensor.ofFloats(f, shape);
      }
      case "BF16": {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
          f[i] = Float.intBitsToFloat((raw.getShort(2 * i) & 0xFFFF) << 16);
        }
        return HostTensor.ofFloats(f, shape);
      }
      default: {
        long[] l = new long[n];
        for (int i = 0; i < n; i++) {
          l[i] = switch (dtype) {
            case "I64", "U64" -> raw.getLong(8 * i);
            case "I32" -> raw.getInt(4 * i);
            case "U32" -> raw.getInt(4 * i) & 0xFFFFFFFFL;
            case "I16" -> raw.getShort(2 * i);
            case "U16" -> raw.getShort(2 * i) & 0xFFFF;
            case "I8" -> raw.get(i);
            default -> raw.get(i) & 0xFF; // U8, BOOL
          };
        }
        return HostTensor.ofLongs(l, shape);
      }
    }
  }

  private static int elementBytes(String dtype) {
    return switch (dtype) {
      case "F64", "I64", "U64" -> 8;
      case "F32", "I32", "U32" -> 4;
      case "F16", "BF16", "I16", "U16" -> 2;
      case "I8", "U8", "BOOL" -> 1;
      default -> -1;
    };
  }

  private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
    long pos = position;
    while (buf.hasRemaining()) {
      int n = ch.read(buf, pos);
      if (n < 0) {
        throw new IOException("unexpected end of file");
      }
      pos += n;
    }
  }

  /** Writes {@code tensors} (float tensors as F32, integer ones as I64) with optional metadata. */
  public static void write(Path file, Map<String, HostTensor> tensors, Map<String, String> metadata)
      throws IOException {
    ObjectNode header = JSON.createObjectNode();
    if (metadata != null && !metadata.isEmpty()) {
      // sorted: the same metadata gives the same bytes whatever map the caller used (Map.of is unordered)
      ObjectNode meta = header.putObject("__metadata__");
      new TreeMap<>(metadata).forEach(meta::put);
    }
    long offset = 0;
    for (Map.Entry<String, HostTensor> e : tensors.entrySet()) {
      HostTensor t = e.getValue();
      long bytes = (long) t.size() * (t.isFloating() ? 4 : 8);
      ObjectNode entry = header.putObject(e.getKey());
      entry.put("dtype", t.isFloating() ? "F32" : "I64");
      var shape = entry.putArray("shape");
      for (long d : t.shape()) {
        shape.add(d);
      }
      entry.putArray("data_offsets").add(offset).add(offset + bytes);
      offset += bytes;
    }
    byte[] headerBytes = JSON.writeValueAsBytes(header);
    int padded = (headerBytes.length + 7) / 8 * 8;
    byte[] headerPadded = java.util.Arrays.copyOf(headerBytes, padded);
    for (int i = headerBytes.length; i < padded; i++) {
      headerPadded[i] = ' ';
    }
    AtomicFile.write(file, out -> {
      ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
      out.write(len.array());
      out.write(headerPadded);
      for (HostTensor t : tensors.values()) {
        ByteBuffer b = ByteBuffer.allocate(t.size() * (t.isFloating() ? 4 : 8)).order(ByteOrder.LITTLE_ENDIAN);
        if (t.isFloating()) {
          b.asFloatBuffer().put(t.floats());
        } else {
          b.asLongBuffer().put(t.longs());
        }
        out.write(b.array());
      }
    });
  }
}
