package dev.earshot.spark;

import dev.earshot.data.Clip;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.apache.hadoop.conf.Configuration;

/**
 * The clips of a training table as files of this machine, which earshot's data loader reads by index: local
 * paths as they are; files on another Hadoop file system copied once into the temporary folder (kept for later
 * runs on this machine; a missing or unreadable file is left to the loader, which reports and skips it).
 */
final class ClipStaging {
  private ClipStaging() {}

  static List<Clip> clips(List<String> locations, Configuration conf) {
    Path root = Path.of(System.getProperty("java.io.tmpdir"), "earshot-spark-clips");
    return IntStream.range(0, locations.size()).parallel().mapToObj(i -> {
      String location = locations.get(i);
      Optional<Path> local = Locations.local(location);
      return Clip.unlabeled(location, local.isPresent() ? local.get() : copy(location, root, conf));
    }).toList();
  }

  private static Path copy(String location, Path root, Configuration conf) {
    org.apache.hadoop.fs.Path remote = new org.apache.hadoop.fs.Path(location);
    Path target = root.resolve(digest(location) + "-" + remote.getName());
    if (Files.isRegularFile(target)) {
      return target;
    }
    try {
      Files.createDirectories(root);
      Path partial = Files.createTempFile(root, "partial-", "");
      try {
        remote.getFileSystem(conf).copyToLocalFile(false, remote, new org.apache.hadoop.fs.Path(partial.toUri()), true);
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(partial);
      }
    } catch (IOException e) {
      return target; // absent: the loader reports it as not found and skips the clip
    }
    return target;
  }

  private static String digest(String text) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(md.digest(text.getBytes(StandardCharsets.UTF_8))).substring(0, 24);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
