package dev.earshot.spark;

import dev.earshot.ConfigException;
import dev.earshot.model.ModelDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;

/**
 * An earshot model directory given as a path string: a local folder (every executor must see it at that path —
 * a shared mount, or the same path on each machine) or a folder on a Hadoop file system, copied once per JVM
 * into the temporary folder and reused by every task of that JVM.
 */
final class ModelLocation {
  private static final Map<String, Path> COPIES = new ConcurrentHashMap<>();

  private ModelLocation() {}

  /** The folder as a local path, copying it first when it is remote (once per JVM). */
  static Path local(String location, Configuration conf) {
    Optional<Path> local = Locations.local(location);
    if (local.isPresent()) {
      return local.get();
    }
    return COPIES.computeIfAbsent(location, l -> copy(l, conf));
  }

  /** Only the manifest ({@code model.json}) of a model, for the driver (labels, front end). */
  static ModelDirectory.Manifest manifest(String location, Configuration conf) {
    Optional<Path> local = Locations.local(location);
    if (local.isPresent()) {
      return ModelDirectory.readManifest(local.get());
    }
    try {
      Path dir = Files.createTempDirectory("earshot-manifest-");
      try {
        org.apache.hadoop.fs.Path remote = new org.apache.hadoop.fs.Path(location, ModelDirectory.MANIFEST);
        remote.getFileSystem(conf).copyToLocalFile(false, remote,
            new org.apache.hadoop.fs.Path(dir.resolve(ModelDirectory.MANIFEST).toUri()), true);
        return ModelDirectory.readManifest(dir);
      } finally {
        Files.deleteIfExists(dir.resolve(ModelDirectory.MANIFEST));
        Files.deleteIfExists(dir);
      }
    } catch (IOException e) {
      throw new ConfigException("model " + location + ": cannot read " + ModelDirectory.MANIFEST + " (" + e.getMessage()
          + ")");
    }
  }

  private static Path copy(String location, Configuration conf) {
    org.apache.hadoop.fs.Path remote = new org.apache.hadoop.fs.Path(location);
    try {
      FileSystem fs = remote.getFileSystem(conf);
      StringBuilder version = new StringBuilder(location);
      for (FileStatus f : fs.listStatus(remote)) {
        version.append('|').append(f.getPath().getName()).append(':').append(f.getLen()).append(':')
            .append(f.getModificationTime());
      }
      Path root = Path.of(System.getProperty("java.io.tmpdir"), "earshot-spark-models");
      Files.createDirectories(root);
      Path target = root.resolve(digest(version.toString()));
      if (Files.isRegularFile(target.resolve(ModelDirectory.MANIFEST))) {
        return target; // copied by an earlier JVM on this machine, same files
      }
      Path partial = Files.createTempDirectory(root, "partial-");
      for (FileStatus f : fs.listStatus(remote)) {
        if (f.isFile()) {
          fs.copyToLocalFile(false, f.getPath(), new org.apache.hadoop.fs.Path(partial.resolve(f.getPath().getName())
              .toUri()), true);
        }
      }
      try {
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException | java.nio.file.FileAlreadyExistsException
          | java.nio.file.DirectoryNotEmptyException e) {
        if (!Files.isRegularFile(target.resolve(ModelDirectory.MANIFEST))) {
          throw e;
        }
      }
      return target;
    } catch (java.io.FileNotFoundException e) {
      throw new ConfigException("model " + location + ": no such folder");
    } catch (IOException e) {
      throw new UncheckedIOException("model " + location + ": cannot copy it to this executor", e);
    }
  }

  private static String digest(String text) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(md.digest(text.getBytes(StandardCharsets.UTF_8))).substring(0, 32);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
