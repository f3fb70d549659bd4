package dev.earshot.cli;

import dev.earshot.EarshotException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code --workers N}: starts N worker JVMs of this very command on this machine, as ranks 0 .. N-1 of one
 * data-parallel run (torchrun's environment, rendezvous on a free loopback port), splits the CPU threads
 * between them, relays their output (rank 0's as it is, the others' lines prefixed with their rank), and when a
 * worker fails, gives the others the run's timeout to stop by themselves (they name the worker that stopped),
 * then stops them.
 */
final class LocalWorkers {
  private LocalWorkers() {}

  /**
   * Runs the workers and returns the exit status: 0 when all succeeded, else the first failure's (2 for bad
   * input, 1 otherwise).
   *
   * @param args the command's original arguments, {@code --workers} removed
   */
  static int run(String command, List<String> args, int workers, Duration timeout, PrintWriter out, PrintWriter err) {
    int port = freePort();
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / workers);
    err.printf("earshot: starting %d workers on 127.0.0.1:%d, %d CPU thread%s each%n", workers, port, threads,
        threads == 1 ? "" : "s");
    err.flush();
    List<Process> processes = new ArrayList<>();
    List<Thread> relays = new ArrayList<>();
    try {
      for (int rank = 0; rank < workers; rank++) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(EarshotCommand.class.getName());
        cmd.add(command);
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Map<String, String> env = pb.environment();
        env.put("RANK", Integer.toString(rank));
        env.put("LOCAL_RANK", Integer.toString(rank));
        env.put("WORLD_SIZE", Integer.toString(workers));
        env.put("MASTER_ADDR", "127.0.0.1");
        env.put("MASTER_PORT", Integer.toString(port));
        env.put("OMP_NUM_THREADS", Integer.toString(threads));
        env.putIfAbsent("OMP_WAIT_POLICY", "PASSIVE");
        Process p = pb.start();
        processes.add(p);
        String prefix = rank == 0 ? "" : "[rank " + rank + "] ";
        relays.add(relay(p.getInputStream(), out, prefix));
        relays.add(relay(p.getErrorStream(), err, prefix));
      }
      int status = 0;
      int failed = -1;
      long deadline = Long.MAX_VALUE;
      while (processes.stream().anyMatch(Process::isAlive)) {
        for (int r = 0; r < processes.size(); r++) {
          Process p = processes.get(r);
          if (!p.isAlive() && p.exitValue() != 0 && failed < 0) {
            failed = r;
            status = p.exitValue() == 2 ? 2 : 1;
            deadline = System.nanoTime() + timeout.plusSeconds(15).toNanos();
          }
        }
        if (System.nanoTime() > deadline) {
          processes.forEach(Process::destroyForcibly);
          break;
        }
        try {
          processes.stream().filter(Process::isAlive).findFirst().ifPresent(p -> waitFor(p, 200));
        } catch (RuntimeException e) {
          break;
        }
      }
      for (Thread t : relays) {
        t.join(5000);
      }
      for (int r = 0; r < processes.size() && failed < 0; r++) {
        if (processes.get(r).exitValue() != 0) {
          failed = r;
          status = processes.get(r).exitValue() == 2 ? 2 : 1;
        }
      }
      if (failed >= 0) {
        err.printf("earshot: worker rank %d of %d failed (exit status %d); all workers stopped%n", failed, workers,
            processes.get(failed).exitValue());
        err.flush();
      }
      return status;
    } catch (IOException e) {
      throw new EarshotException("could not start the worker processes: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EarshotException("interrupted while the workers ran");
    } finally {
      processes.forEach(p -> {
        if (p.isAlive()) {
          p.destroyForcibly();
        }
      });
    }
  }

  private static void waitFor(Process p, long millis) {
    try {
      p.waitFor(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Copies a worker's output to {@code to}, each line after {@code prefix} (none: copied as it is). */
  private static Thread relay(InputStream from, PrintWriter to, String prefix) {
    Thread t = new Thread(() -> {
      try (Reader in = new InputStreamReader(from, StandardCharsets.UTF_8)) {
        boolean lineStart = true;
        int c;
        while ((c = in.read()) >= 0) {
          synchronized (to) {
            if (lineStart && !prefix.isEmpty()) {
              to.print(prefix);
            }
            to.print((char) c);
            lineStart = c == '\n';
            if (lineStart || c == '\r') {
              to.flush();
            }
          }
        }
        synchronized (to) {
          to.flush();
        }
      } catch (IOException e) {
        // the worker's pipe closed; its exit status tells the rest
      }
    }, "earshot-worker-output");
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** A TCP port free on loopback right now. */
  static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new EarshotException("no free loopback port for the workers' rendezvous: " + e.getMessage(), e);
    }
  }

  /** {@code args} without {@code --workers N} / {@code --workers=N}. */
  static List<String> withoutWorkers(List<String> args) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.equals("--workers")) {
        i++;
      } else if (!a.startsWith("--workers=")) {
        out.add(a);
      }
    }
    return out;
  }
}
