package dev.earshot.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Supplier;

/**
 * Runs an action while holding an exclusive lock on a file, so that it runs in one process and one thread
 * of this machine at a time. Used around the first load of native libraries: JavaCPP unpacks them into a
 * cache shared by every JVM of the user, and a process that maps a library another one is still writing
 * can crash inside {@code System.load}.
 */
public final class ProcessLock {
  private static final Object IN_PROCESS = new Object();

  private ProcessLock() {}

  /**
   * Runs {@code action} holding {@code lockFile} (created with its folders if missing) and returns its
   * result. Waits for other processes and threads that hold the same lock.
   */
  public static <T> T holding(Path lockFile, Supplier<T> action) {
    // FileChannel.lock is per process: threads of this JVM are serialised by the monitor instead
    // (a second lock attempt from the same JVM throws OverlappingFileLockException).
    synchronized (IN_PROCESS) {
      try {
        Files.createDirectories(lockFile.toAbsolutePath().getParent());
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.lock()) {
          return action.get();
        } catch (OverlappingFileLockException e) {
          throw new IllegalStateException("lock " + lockFile + " is already held by this process", e);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot lock " + lockFile + ": " + e.getMessage(), e);
      }
    }
  }
}
