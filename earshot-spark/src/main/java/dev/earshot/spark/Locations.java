package dev.earshot.spark;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where a path string of a table points: a local file (a plain path or a {@code file:} URI, read directly
 * and streamed like the command line reads it) or a file on another Hadoop file system ({@code hdfs://},
 * {@code s3a://}, {@code abfs://}, ...).
 */
final class Locations {
  /** "scheme:/..." — a URI with a scheme (a file name with a colon, "a:b.wav", has no slash after it). */
  private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:/.*");

  private Locations() {}

  /** The local file {@code location} names, or empty when it is on another file system. */
  static Optional<Path> local(String location) {
    if (!SCHEME.matcher(location).matches()) {
      return Optional.of(Path.of(location));
    }
    // Hadoop's parser: Spark's listings write paths unescaped ("file:/data/a b.wav")
    URI uri = new org.apache.hadoop.fs.Path(location).toUri();
    return "file".equalsIgnoreCase(uri.getScheme()) ? Optional.of(Path.of(uri.getPath())) : Optional.empty();
  }
}
