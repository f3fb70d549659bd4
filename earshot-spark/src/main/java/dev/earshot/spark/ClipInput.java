package dev.earshot.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * One clip of a table as earshot's readers take it: a local file (decoded as a stream, like the command line
 * reads it) or the whole file's bytes with a display name (a {@code binaryFile} row, or a small file from
 * another file system). Both give identical samples. Closing deletes a local copy made for a large remote file.
 */
final class ClipInput implements AutoCloseable {
  private final String name;
  private final Path file;
  private final byte[] bytes;
  private final boolean temporary;

  private ClipInput(String name, Path file, byte[] bytes, boolean temporary) {
    this.name = Objects.requireNonNull(name, "name");
    this.file = file;
    this.bytes = bytes;
    this.temporary = temporary;
  }

  /** A file on this machine. */
  static ClipInput file(Path file, String name) {
    return new ClipInput(name, file, null, false);
  }

  /** A local copy of a remote file, deleted on {@link #close()}. */
  static ClipInput copy(Path file, String name) {
    return new ClipInput(name, file, null, true);
  }

  /** A file held in memory. */
  static ClipInput bytes(byte[] bytes, String name) {
    return new ClipInput(name, null, Objects.requireNonNull(bytes, "bytes"), false);
  }

  /** The name errors start with: the path or URI as the table gives it. */
  String name() {
    return name;
  }

  /** {@code fromFile} on the local file, or {@code fromBytes} on the bytes and the name. */
  <T> T read(Function<Path, T> fromFile, BiFunction<byte[], String, T> fromBytes) {
    return file != null ? fromFile.apply(file) : fromBytes.apply(bytes, name);
  }

  @Override
  public void close() {
    if (temporary) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        // a temporary file under the executor's temporary folder; the folder is cleaned with the executor
      }
    }
  }
}
