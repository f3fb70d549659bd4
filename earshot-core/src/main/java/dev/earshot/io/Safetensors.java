package dev.earshot.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads and writes the safetensors format (an 8-byte little-endian header length, a JSON header of
 * name → {dtype, shape, data_offsets}, then the raw little-endian data) on the Java heap.
 *
 * <p>Reading widens F16 and BF16 exactly and rounds F64 to float32, reads integer types as int64, and checks
 * every header entry against the file before allocating: integer shapes and offsets, overflow-checked sizes, offsets inside the data section,
 * byte counts equal to shape x element size, no two tensors overlapping, and the decoded total within the
 * {@link dev.earshot.HeapBudget}.
 * Writing emits F32 and I64, metadata in key order (identical inputs give identical bytes), atomically
 * ({@link AtomicFile}).
 */
public final class Safetensors {
  /** The project's JSON rules, plus: a header naming a tensor twice is refused, not silently collapsed. */
  private static final ObjectMapper JSON = Json.configure(new ObjectMapper())
      .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  private static final long MAX_HEADER = 100L * 1024 * 1024;
  private static final int MAX_RANK = 64;

  private Safetensors() {}

  /** The tensors of a file, in header order, plus its {@code __metadata__} strings. */
  public record Contents(Map<String, HostTensor> tensors, Map<String, String> metadata) {}

  public static Contents read(Path file) {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      return read(file, ch);
    } catch (NoSuchFileException e) {
      throw new CheckpointFormatException(file, "no such file", e);
    } catch (IOException e) {
      throw new CheckpointFormatException(file, "cannot read: " + e.getMessage(), e);
    }
  }

  /** Reads from an open channel; {@code file} names it in errors. */
  static Contents read(Path file, SeekableByteChannel ch) throws IOException {
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
      throw new CheckpointFormatException(file, "safetensors header is not valid JSON ("
          + firstLine(e.getMessage()) + ")", e);
    }
    if (header == null || !header.isObject()) {
      throw new CheckpointFormatException(file, "safetensors header is not a JSON object");
    }
    long dataStart = 8 + headerLength;
    long dataSize = size - dataStart;
    Map<String, String> metadata = new LinkedHashMap<>();
    List<Entry> entries = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().equals("__metadata__")) {
        if (!e.getValue().isObject()) {
          throw new CheckpointFormatException(file, "safetensors __metadata__ is not an object of strings");
        }
        e.getValue().fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
        continue;
      }
      entries.add(entry(file, e.getKey(), e.getValue(), dataSize));
    }
    checkLayout(file, entries);
    Map<String, HostTensor> tensors = new LinkedHashMap<>();
    for (Entry e : entries) {
      tensors.put(e.name(), readTensor(file, ch, e, dataStart));
    }
    return new Contents(tensors, metadata);
  }

  /** One header entry, checked: dtype known, shape and offsets non-negative integers whose sizes agree. */
  private record Entry(String name, String dtype, long[] shape, long numel, long begin, long end) {}

  private static Entry entry(Path file, String name, JsonNode info, long dataSize) {
    String shown = name.length() > 200 ? name.substring(0, 200) + "..." : name;
    if (!info.isObject()) {
      throw new CheckpointFormatException(file, "tensor '" + shown + "' has a malformed header entry");
    }
    String dtype = info.path("dtype").asText();
    JsonNode shapeNode = info.path("shape");
    JsonNode offsets = info.path("data_offsets");
    if (!shapeNode.isArray() || !offsets.isArray() || offsets.size() != 2) {
      throw new CheckpointFormatException(file, "tensor '" + shown + "' has a malformed header entry");
    }
    if (shapeNode.size() > MAX_RANK) {
      throw new CheckpointFormatException(file, "tensor '" + shown + "' has " + shapeNode.size()
          + " dimensions (at most " + MAX_RANK + ")");
    }
    long[] shape = new long[shapeNode.size()];
    long numel = 1;
    for (int i = 0; i < shape.length; i++) {
      shape[i] = nonNegative(file, shown, "dimension", shapeNode.get(i));
      numel = multiply(file, shown, numel, shape[i]);
    }
    int elementBytes = elementBytes(dtype);
    if (elementBytes < 0) {
      String d = dtype.length() > 20 ? dtype.substring(0, 20) + "..." : dtype;
      throw new CheckpointFormatException(file, "tensor '" + shown + "' has unsupported dtype " + d);
    }
    long begin = nonNegative(file, shown, "offset", offsets.get(0));
    long end = nonNegative(file, shown, "offset", offsets.get(1));
    long bytes = multiply(file, shown, numel, elementBytes);
    if (end < begin || end > dataSize || end - begin != bytes) {
      throw new CheckpointFormatException(file, "tensor '" + shown + "' (" + dtype + " " + Arrays.toString(shape)
          + ") claims bytes [" + begin + ", " + end + ") of a " + dataSize + "-byte data section");
    }
    if (numel > Integer.MAX_VALUE - 8) {
      throw new CheckpointFormatException(file, "tensor '" + shown + "' is too large for one array");
    }
    return new Entry(name, dtype, shape, numel, begin, end);
  }

  /** Tensors may not overlap (so their total is bounded by the file), and what they decode to must fit. */
  private static void checkLayout(Path file, List<Entry> entries) {
    List<Entry> byOffset = new ArrayList<>(entries);
    byOffset.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
    long decoded = 0;
    for (int i = 0; i < byOffset.size(); i++) {
      Entry e = byOffset.get(i);
      if (i > 0 && e.begin() < byOffset.get(i - 1).end()) {
        throw new CheckpointFormatException(file, "tensors '" + byOffset.get(i - 1).name() + "' and '" + e.name()
            + "' overlap in the data section");
      }
      decoded += e.numel() * (e.dtype().startsWith("F") || e.dtype().equals("BF16") ? 4L : 8L);
    }
    CheckpointFormatException.requireMemory(file, decoded, entries.size() + " tensors");
  }

  private static long nonNegative(Path file, String tensor, String what, JsonNode n) {
    if (n == null || !n.isIntegralNumber() || !n.canConvertToLong() || n.asLong() < 0) {
      throw new CheckpointFormatException(file, "tensor '" + tensor + "' has a " + what + " that is not a "
          + "non-negative integer: " + (n == null ? "null" : firstLine(n.toString())));
    }
    return n.asLong();
  }

  private static long multiply(Path file, String tensor, long a, long b) {
    try {
      return Math.multiplyExact(a, b);
    } catch (ArithmeticException e) {
      throw new CheckpointFormatException(file, "tensor '" + tensor + "' has a size that overflows 64 bits");
    }
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    String line = s.lines().findFirst().orElse("");
    return line.length() > 200 ? line.substring(0, 200) + "..." : line;
  }

  private static HostTensor readTensor(Path file, SeekableByteChannel ch, Entry e, long dataStart) throws IOException {
    String dtype = e.dtype();
    long[] shape = e.shape();
    ByteBuffer raw = ByteBuffer.allocate((int) (e.end() - e.begin())).order(ByteOrder.LITTLE_ENDIAN);
    readFully(ch, raw, dataStart + e.begin());
    raw.rewind();
    int n = (int) e.numel();
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

  private static void readFully(SeekableByteChannel ch, ByteBuffer buf, long position) throws IOException {
    ch.position(position);
    while (buf.hasRemaining()) {
      if (ch.read(buf) < 0) {
        throw new IOException("unexpected end of file");
      }
    }
  }

  /** Writes {@code tensors} (float tensors as F32, integer ones as I64) with optional metadata. */
  public static void write(Path file, Map<String, HostTensor> tensors, Map<String, String> metadata)
      throws IOException {
    ObjectNode header = Json.object();
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
    byte[] headerBytes = Json.bytes(header);
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
