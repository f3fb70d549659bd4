package dev.earshot.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes NumPy {@code .npy} files (format versions 1.0 to 3.0, little-endian, C order).
 * Writes are atomic ({@link AtomicFile}).
 */
public final class Npy {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

  private Npy() {}

  /** Writes {@code array} to {@code file} (format 1.0, header padded to 64 bytes). */
  public static void write(Path file, NpyArray array) throws IOException {
    StringBuilder shape = new StringBuilder("(");
    for (int i = 0; i < array.shape().length; i++) {
      shape.append(array.shape()[i]);
      if (array.shape().length == 1 || i < array.shape().length - 1) {
        shape.append(i < array.shape().length - 1 ? ", " : ",");
      }
    }
    shape.append(')');
    String dict = "{'descr': '" + array.dtype().descr() + "', 'fortran_order': False, 'shape': " + shape + ", }";
    int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
    int padding = (64 - unpadded % 64) % 64;
    String header = dict + " ".repeat(padding) + "\n";
    ByteBuffer head = ByteBuffer.allocate(MAGIC.length + 4).order(ByteOrder.LITTLE_ENDIAN);
    head.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length());
    AtomicFile.write(file, out -> {
      out.write(head.array());
      out.write(header.getBytes(StandardCharsets.US_ASCII));
      out.write(array.data());
    });
  }

  /** Reads a {@code .npy} file. */
  public static NpyArray read(Path file) {
    byte[] bytes;
    try {
      long size = Files.size(file);
      String over = dev.earshot.HeapBudget.shortfall(2 * size, "reading " + size + " bytes");
      if (over != null) {
        throw new NpyFormatException(file, over);
      }
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new NpyFormatException(file, "no such file", e);
    } catch (IOException e) {
      throw new NpyFormatException(file, "cannot read: " + e.getMessage(), e);
    }
    return parse(file, bytes);
  }

  /** Parses the bytes of a {@code .npy} file; {@code file} is only used in error messages. */
  public static NpyArray parse(Path file, byte[] bytes) {
    if (bytes.length < 10) {
      throw new NpyFormatException(file, "too short to be a .npy file (" + bytes.length + " bytes)");
    }
    for (int i = 0; i < MAGIC.length; i++) {
      if (bytes[i] != MAGIC[i]) {
        throw new NpyFormatException(file, "not a .npy file (bad magic)");
      }
    }
    int major = bytes[6];
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int headerLength;
    int headerStart;
    if (major == 1) {
      headerLength = b.getShort(8) & 0xFFFF;
      headerStart = 10;
    } else if (major == 2 || major == 3) {
      if (bytes.length < 12) {
        throw new NpyFormatException(file, "truncated header");
      }
      headerLength = b.getInt(8);
      headerStart = 12;
    } else {
      throw new NpyFormatException(file, "unsupported .npy format version " + major);
    }
    if (headerLength < 0 || headerLength > bytes.length - headerStart) {
      throw new NpyFormatException(file, "truncated header");
    }
    String header = new String(bytes, headerStart, headerLength, StandardCharsets.ISO_8859_1);
    Matcher descr = DESCR.matcher(header);
    Matcher fortran = FORTRAN.matcher(header);
    Matcher shape = SHAPE.matcher(header);
    if (!descr.find() || !fortran.find() || !shape.find()) {
      throw new NpyFormatException(file, "malformed header: " + shorten(header.trim()));
    }
    NpyDtype dtype = NpyDtype.fromDescr(descr.group(1));
    if (dtype == null) {
      throw new NpyFormatException(
          file, "unsupported dtype '" + shorten(descr.group(1)) + "' (little-endian float32/64, int8-64, uint8, bool)");
    }
    if ("True".equals(fortran.group(1))) {
      throw new NpyFormatException(file, "Fortran-order arrays are not supported; save with C order");
    }
    List<Integer> dims = new ArrayList<>();
    for (String part : shape.group(1).split(",")) {
      String p = part.trim();
      if (!p.isEmpty()) {
        try {
          int d = Integer.parseInt(p.endsWith("L") ? p.substring(0, p.length() - 1) : p);
          if (d < 0) {
            throw new NumberFormatException("negative");
          }
          dims.add(d);
        } catch (NumberFormatException e) {
          throw new NpyFormatException(file, "malformed shape '" + shorten(shape.group(1)) + "'", e);
        }
      }
    }
    int[] dimArray = dims.stream().mapToInt(Integer::intValue).toArray();
    int dataStart = headerStart + headerLength;
    long need;
    try {
      long count = 1;
      for (int d : dimArray) {
        count = Math.multiplyExact(count, d);
      }
      need = Math.multiplyExact(count, dtype.bytes());
    } catch (ArithmeticException e) {
      throw new NpyFormatException(file, "shape " + dims + " overflows 64 bits");
    }
    if (need > bytes.length - (long) dataStart) {
      throw new NpyFormatException(
          file, "data truncated: shape needs " + need + " bytes, " + (bytes.length - dataStart) + " present");
    }
    byte[] data = java.util.Arrays.copyOfRange(bytes, dataStart, (int) (dataStart + need));
    return new NpyArray(dtype, dimArray, data);
  }

  private static String shorten(String s) {
    return s.length() > 200 ? s.substring(0, 200) + "..." : s;
  }
}
