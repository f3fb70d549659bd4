package dev.earshot.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Checks output paths before anything is written, so that a long job fails at its start rather than at its
 * first save, and so that nothing but a regular file is ever replaced.
 *
 * <p>Policy. An existing output must be a regular file; a directory, character or block device (such as
 * {@code /dev/full} or {@code /dev/null}), FIFO or socket is refused. A symbolic link is followed (link chains
 * up to 40 deep, relative links resolved against the link's folder): the file it points to is what is
 * written, replaced or created, and the link itself stays a link. A missing folder is created, so the nearest
 * existing ancestor must be a writable folder.
 */
public final class OutputPath {
  private static final int MAX_LINK_HOPS = 40;

  private OutputPath() {}

  /**
   * The path an output file named {@code target} is really written to (symbolic links followed), after
   * checking that it is a regular file or does not exist yet and that its folder can be written.
   *
   * @throws OutputFileException naming the path and the problem
   */
  public static Path requireFile(Path target) {
    Path real = followLinks(target);
    if (Files.exists(real, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
      throw new OutputFileException(target, "is " + describe(real) + ", not a regular file; earshot only "
          + "replaces regular files (give a file path)");
    }
    requireWritableFolder(target, real.getParent());
    return real;
  }

  /**
   * Checks that {@code dir} is a folder that can be written, or can be created: for run folders and model
   * directories.
   *
   * @throws OutputFileException naming the path and the problem
   */
  public static void requireDirectory(Path dir) {
    Path real = followLinks(dir);
    if (Files.exists(real, LinkOption.NOFOLLOW_LINKS)) {
      if (!Files.isDirectory(real, LinkOption.NOFOLLOW_LINKS)) {
        throw new OutputFileException(dir, "is " + describe(real) + ", not a folder (give a folder path)");
      }
      if (!Files.isWritable(real)) {
        throw new OutputFileException(dir, "the folder is not writable");
      }
      return;
    }
    requireWritableFolder(dir, real.getParent());
  }

  /** {@code target} with every symbolic link on its last component resolved, as an absolute path. */
  static Path followLinks(Path target) {
    Path p = target.toAbsolutePath().normalize();
    for (int hops = 0; Files.isSymbolicLink(p); hops++) {
      if (hops == MAX_LINK_HOPS) {
        throw new OutputFileException(target, "too many levels of symbolic links");
      }
      try {
        Path link = Files.readSymbolicLink(p);
        p = p.getParent().resolve(link).toAbsolutePath().normalize();
      } catch (IOException e) {
        throw new OutputFileException(target, "cannot read the symbolic link: " + e.getMessage(), e);
      }
    }
    return p;
  }

  private static void requireWritableFolder(Path target, Path folder) {
    Path p = folder;
    while (p != null && !Files.exists(p)) {
      p = p.getParent();
    }
    if (p == null) {
      throw new OutputFileException(target, "no existing folder above it");
    }
    if (!Files.isDirectory(p)) {
      throw new OutputFileException(target, p + " is " + describe(p) + ", not a folder");
    }
    if (!Files.isWritable(p)) {
      throw new OutputFileException(target, "the folder " + p + " is not writable");
    }
  }

  /** "a directory", "a FIFO", "a character device", ... */
  static String describe(Path p) {
    try {
      BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (a.isDirectory()) {
        return "a directory";
      }
      if (a.isRegularFile()) {
        return "a regular file";
      }
      if (a.isSymbolicLink()) {
        return "a symbolic link";
      }
      Object mode = Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
      if (mode instanceof Integer m) {
        switch (m & 0170000) {
          case 0010000:
            return "a FIFO (named pipe)";
          case 0020000:
            return "a character device";
          case 0060000:
            return "a block device";
          case 0140000:
            return "a socket";
          default:
            break;
        }
      }
      return "a special file";
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return "a special file";
    }
  }
}
