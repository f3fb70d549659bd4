package dev.earshot.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The one way earshot writes a file: the bytes go to a temporary file beside the target, which is flushed to
 * disk ({@code fsync}), renamed over the target, and the folder is flushed too. A reader (or a crash at any
 * instruction) sees either the old file or the complete new one, never a part.
 *
 * <p>What is replaced follows {@link OutputPath#requireFile}: only regular files; directories, devices,
 * FIFOs and sockets are refused before anything is written; a symbolic link is followed and the file it
 * points to is replaced (the link stays). A new file gets the mode the process's umask gives (0644 under
 * the usual umask 022), and a replaced file keeps its permissions. The temporary file is removed when
 * writing fails.
 */
public final class AtomicFile {
  /** Writes a file's content to a stream. */
  @FunctionalInterface
  public interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  private AtomicFile() {}

  /** Writes {@code target} atomically with what {@code content} emits. */
  public static void write(Path target, Content content) throws IOException {
    Path real = OutputPath.requireFile(target);
    Path dir = real.getParent();
    Files.createDirectories(dir);
    Set<PosixFilePermission> keep = existingPermissions(real);
    Path tmp = createTemporary(dir, real.getFileName().toString());
    boolean moved = false;
    try {
      try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE);
          OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16)) {
        content.writeTo(out);
        out.flush();
        channel.force(true);
      }
      if (keep != null) {
        Files.setPosixFilePermissions(tmp, keep);
      }
      Files.move(tmp, real, StandardCopyOption.ATOMIC_MOVE);
      moved = true;
      syncDirectory(dir);
    } finally {
      if (!moved) {
        Files.deleteIfExists(tmp);
      }
    }
  }

  /** Writes {@code bytes} to {@code target} atomically. */
  public static void write(Path target, byte[] bytes) throws IOException {
    write(target, out -> out.write(bytes));
  }

  /** Writes {@code text} as UTF-8 to {@code target} atomically. */
  public static void writeString(Path target, String text) throws IOException {
    write(target, text.getBytes(StandardCharsets.UTF_8));
  }

  /** Writes {@code lines}, each followed by a newline, as UTF-8 to {@code target} atomically. */
  public static void writeLines(Path target, List<String> lines) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (String line : lines) {
      sb.append(line).append('\n');
    }
    writeString(target, sb.toString());
  }

  /**
   * Flushes a folder's entries (new, renamed or deleted files) to disk, so that a rename survives a power
   * loss. File systems that cannot open a folder for reading are left as they are.
   */
  public static void syncDirectory(Path dir) throws IOException {
    FileChannel channel;
    try {
      channel = FileChannel.open(dir, StandardOpenOption.READ);
    } catch (IOException | UnsupportedOperationException e) {
      return; // not supported on this platform or file system
    }
    try (channel) {
      channel.force(true);
    }
  }

  /** Flushes a file's content to disk. */
  public static void syncFile(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.force(true);
    }
  }

  private static Set<PosixFilePermission> existingPermissions(Path real) {
    if (!Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
      return null;
    }
    try {
      return Files.getPosixFilePermissions(real, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException | UnsupportedOperationException e) {
      return null;
    }
  }

  /** A new empty file ".NAME.RANDOM.tmp" in {@code dir}, created with the umask's default mode. */
  private static Path createTemporary(Path dir, String name) throws IOException {
    for (int attempt = 0; ; attempt++) {
      String suffix = Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
      Path tmp = dir.resolve("." + name + "." + suffix + ".tmp");
      try {
        Files.newByteChannel(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
        return tmp;
      } catch (FileAlreadyExistsException e) {
        if (attempt > 100) {
          throw e;
        }
      }
    }
  }
}
