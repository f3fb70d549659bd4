package dev.earshot.audio.synth;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A command-line program that the benchmark generator runs (a speech synthesiser, a MIDI renderer), with the
 * Debian package that installs it: a missing program is an {@link ExternalProgramException} that names the
 * package to install. Programs are found on {@code PATH}; nothing is downloaded.
 *
 * @param command the executable's name, e.g. {@code espeak-ng}
 * @param debianPackage the package that provides it, e.g. {@code espeak-ng}
 */
public record ExternalProgram(String command, String debianPackage) {
  /** The eSpeak NG speech synthesiser. */
  public static final ExternalProgram ESPEAK_NG = new ExternalProgram("espeak-ng", "espeak-ng");
  /** The FluidSynth SoundFont synthesiser. */
  public static final ExternalProgram FLUIDSYNTH = new ExternalProgram("fluidsynth", "fluidsynth");

  /** The executable on {@code PATH}; an {@link ExternalProgramException} naming the package when it is absent. */
  public Path locate() {
    String path = System.getenv("PATH");
    for (String dir : (path == null ? "" : path).split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, command);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    throw new ExternalProgramException(command + " is not installed (not found on PATH): install the Debian package "
        + debianPackage + " (apt-get install " + debianPackage + ")");
  }

  /** True when the program is on {@code PATH}. */
  public boolean available() {
    try {
      locate();
      return true;
    } catch (ExternalProgramException e) {
      return false;
    }
  }

  /**
   * Runs the program with {@code args} and returns what it wrote to standard output. A non-zero exit, or a run
   * longer than {@code timeout}, is an {@link ExternalProgramException} with the end of its standard error.
   */
  public byte[] run(List<String> args, Duration timeout) {
    List<String> line = new ArrayList<>();
    line.add(locate().toString());
    line.addAll(args);
    Process p;
    try {
      p = new ProcessBuilder(line).redirectInput(ProcessBuilder.Redirect.PIPE).start();
      p.getOutputStream().close();
    } catch (IOException e) {
      throw new ExternalProgramException("cannot start " + command + ": " + e.getMessage(), e);
    }
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Thread errReader = drain(p.getErrorStream(), err);
    try {
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new ExternalProgramException(command + " did not finish within " + timeout.toSeconds() + " s");
      }
      errReader.join();
      if (p.exitValue() != 0) {
        String message = err.toString(StandardCharsets.UTF_8).strip();
        throw new ExternalProgramException(command + " " + String.join(" ", args) + " failed (exit " + p.exitValue()
            + ")" + (message.isEmpty() ? "" : ": " + message.substring(Math.max(0, message.length() - 500))));
      }
      return out;
    } catch (IOException e) {
      p.destroyForcibly();
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new ExternalProgramException("interrupted while running " + command, e);
    }
  }

  private static Thread drain(InputStream in, ByteArrayOutputStream to) {
    Thread t = new Thread(() -> {
      try (in) {
        in.transferTo(to);
      } catch (IOException e) {
        // the process ended; what was read is kept
      }
    }, "stderr");
    t.setDaemon(true);
    t.start();
    return t;
  }
}
