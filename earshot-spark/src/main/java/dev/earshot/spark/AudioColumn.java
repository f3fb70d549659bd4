package dev.earshot.spark;

import dev.earshot.ConfigException;
import dev.earshot.audio.AudioInputException;
import dev.earshot.audio.AudioInputException.Problem;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructType;

/**
 * Where a table's rows keep their audio: a string column of paths (local, or on any Hadoop file system) or a
 * binary column of file contents (Spark's {@code binaryFile} source), named in errors by a name column
 * ({@code path} when the table has one).
 *
 * <p>A local path is handed to earshot as a file and decoded as a stream. A remote file up to
 * {@code inMemoryBytes} is read into memory; a larger one is copied to a temporary file first, so no clip has
 * to fit in the heap whatever its length.
 */
final class AudioColumn implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Remote files up to this size are read into memory; larger ones go through a temporary local copy. */
  static final long DEFAULT_IN_MEMORY_BYTES = 64L << 20;

  private final String column;
  private final int index;
  private final boolean bytes;
  private final int nameIndex;
  private final long inMemoryBytes;

  private AudioColumn(String column, int index, boolean bytes, int nameIndex, long inMemoryBytes) {
    this.column = column;
    this.index = index;
    this.bytes = bytes;
    this.nameIndex = nameIndex;
    this.inMemoryBytes = inMemoryBytes;
  }

  /** The audio column {@code column} of a table of {@code schema}. */
  static AudioColumn of(StructType schema, String column) {
    int index;
    try {
      index = schema.fieldIndex(column);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("audio column '" + column + "' is not in the table (columns: "
          + String.join(", ", schema.fieldNames()) + ")");
    }
    DataType type = schema.fields()[index].dataType();
    boolean binary = type instanceof BinaryType;
    if (!binary && !(type instanceof StringType)) {
      throw new ConfigException("audio column '" + column + "' must hold paths (string) or file contents (binary), "
          + "not " + type.simpleString());
    }
    int name = -1;
    if (binary && java.util.Arrays.asList(schema.fieldNames()).contains("path")
        && schema.apply("path").dataType() instanceof StringType) {
      name = schema.fieldIndex("path");
    }
    return new AudioColumn(column, index, binary, name, DEFAULT_IN_MEMORY_BYTES);
  }

  /** True for a column of file contents. */
  boolean holdsBytes() {
    return bytes;
  }

  /** The name of the column. */
  String column() {
    return column;
  }

  /**
   * The clip's name in errors: its path, or for contents the row's path column; {@code rowLabel} (such as
   * "row 3:17") when the row has neither.
   */
  String name(Row row, String rowLabel) {
    if (!bytes) {
      return row.isNullAt(index) ? rowLabel : row.getString(index);
    }
    return nameIndex >= 0 && !row.isNullAt(nameIndex) ? row.getString(nameIndex) : column + " of " + rowLabel;
  }

  /** The row's clip, ready to read; {@code conf} reaches remote file systems. */
  ClipInput open(Row row, String rowLabel, Configuration conf) {
    String name = name(row, rowLabel);
    if (row.isNullAt(index)) {
      throw new AudioInputException(name, Problem.NOT_FOUND, "no audio (" + column + " is null)", null);
    }
    if (bytes) {
      return ClipInput.bytes((byte[]) row.get(index), name);
    }
    String location = row.getString(index);
    Optional<Path> local = Locations.local(location);
    if (local.isPresent()) {
      return ClipInput.file(local.get(), location);
    }
    return remote(location, conf);
  }

  private ClipInput remote(String location, Configuration conf) {
    org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(location);
    try {
      FileSystem fs = path.getFileSystem(conf);
      FileStatus status = fs.getFileStatus(path);
      if (status.isDirectory()) {
        throw new AudioInputException(location, Problem.UNREADABLE, "is a directory, not an audio file", null);
      }
      if (status.getLen() <= inMemoryBytes) {
        byte[] content = new byte[(int) status.getLen()];
        try (FSDataInputStream in = fs.open(path)) {
          in.readFully(0, content);
        }
        return ClipInput.bytes(content, location);
      }
      Path copy = Files.createTempFile("earshot-clip-", "-" + path.getName());
      try {
        fs.copyToLocalFile(false, path, new org.apache.hadoop.fs.Path(copy.toUri()), true);
      } catch (IOException | RuntimeException e) {
        Files.deleteIfExists(copy);
        throw e;
      }
      return ClipInput.copy(copy, location);
    } catch (FileNotFoundException e) {
      throw new AudioInputException(location, Problem.NOT_FOUND, "no such file", e);
    } catch (IOException e) {
      throw new AudioInputException(location, Problem.UNREADABLE, String.valueOf(e.getMessage()), e);
    }
  }
}
