package dev.earshot.audio.ffmpeg;

import dev.earshot.io.ProcessLock;
import java.io.IOException;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avformat;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.Loader;

/**
 * Loads FFmpeg's native libraries once per process, safely when several processes start at once.
 *
 * <p>Implementation notes. JavaCPP unpacks the natives from the jar into a cache shared by all JVMs of the
 * user ({@code ~/.javacpp/cache}, or {@code -Dorg.bytedeco.javacpp.cachedir}) on first use. Its own
 * extraction lock covers writing each file, not the {@code System.load} that follows, so a process could
 * map a library that another one is still replacing; a crash inside {@code System.load} was seen once while
 * PyTorch's natives were unpacking. Here the whole first load — extraction and loading — runs under an
 * exclusive {@link ProcessLock} on {@code <cache>/earshot-native-load.lock}: concurrent first loads queue up,
 * and the later ones find a complete cache. The FFmpeg log is silenced: errors reach callers as exceptions.
 */
final class FfmpegNatives {
  private static volatile boolean loaded;

  private FfmpegNatives() {}

  /** Loads avutil, avcodec and avformat (idempotent, thread-safe). */
  static void ensureLoaded() {
    if (loaded) {
      return;
    }
    synchronized (FfmpegNatives.class) {
      if (loaded) {
        return;
      }
      ProcessLock.holding(lockFile(), () -> {
        Loader.load(avutil.class);
        Loader.load(avcodec.class);
        Loader.load(avformat.class);
        return null;
      });
      avutil.av_log_set_level(avutil.AV_LOG_QUIET);
      loaded = true;
    }
  }

  /** The lock file in JavaCPP's cache folder (also usable by other JavaCPP presets loaded by earshot). */
  static Path lockFile() {
    try {
      return Loader.getCacheDir().toPath().resolve("earshot-native-load.lock");
    } catch (IOException e) {
      throw new IllegalStateException("JavaCPP has no cache folder: " + e.getMessage(), e);
    }
  }

  /** For example {@code "FFmpeg 8.0.1 (libavformat 62.3.100, LGPL version 3 or later)"}. */
  static String description() {
    ensureLoaded();
    int v = avformat.avformat_version();
    return "FFmpeg " + org.bytedeco.ffmpeg.global.avutil.av_version_info().getString() + " (libavformat "
        + (v >> 16) + "." + ((v >> 8) & 0xFF) + "." + (v & 0xFF) + ", " + avutil.avutil_license().getString() + ")";
  }
}
