package dev.earshot.serve;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;

/**
 * Counters and latencies of an {@link InferenceServer}, written in Prometheus' text format for
 * {@code GET /metrics}: requests by endpoint and status, request latency (count, sum, and the 0.5/0.9/0.99
 * quantiles of the last 4096 requests per endpoint), requests in flight, audio seconds analysed, windows
 * run, heap and resident memory.
 */
final class ServerMetrics {
  private static final int RESERVOIR = 4096;

  private final Map<String, AtomicLong> requests = new ConcurrentHashMap<>();
  private final Map<String, Latencies> latencies = new ConcurrentHashMap<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final DoubleAdder audioSeconds = new DoubleAdder();
  private final AtomicLong windows = new AtomicLong();
  private final long startNanos = System.nanoTime();

  void started() {
    inFlight.incrementAndGet();
  }

  void finished(String endpoint, int status, double seconds) {
    inFlight.decrementAndGet();
    requests.computeIfAbsent(endpoint + "|" + status, k -> new AtomicLong()).incrementAndGet();
    latencies.computeIfAbsent(endpoint, k -> new Latencies()).add(seconds);
  }

  void analysed(double seconds, int windowCount) {
    audioSeconds.add(seconds);
    windows.addAndGet(windowCount);
  }

  int inFlight() {
    return inFlight.get();
  }

  double uptimeSeconds() {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  /** Prometheus text exposition format. */
  String render() {
    StringBuilder out = new StringBuilder();
    out.append("# HELP earshot_requests_total Requests answered, by endpoint and HTTP status.\n");
    out.append("# TYPE earshot_requests_total counter\n");
    for (Map.Entry<String, AtomicLong> e : new TreeMap<>(requests).entrySet()) {
      String[] k = e.getKey().split("\\|");
      out.append(String.format(Locale.ROOT, "earshot_requests_total{endpoint=\"%s\",status=\"%s\"} %d%n", k[0], k[1],
          e.getValue().get()));
    }
    out.append("# HELP earshot_request_seconds Request latency from arrival to answer.\n");
    out.append("# TYPE earshot_request_seconds summary\n");
    for (Map.Entry<String, Latencies> e : new TreeMap<>(latencies).entrySet()) {
      Latencies l = e.getValue();
      double[] q = l.quantiles(0.5, 0.9, 0.99);
      String ep = e.getKey();
      out.append(String.format(Locale.ROOT, "earshot_request_seconds{endpoint=\"%s\",quantile=\"0.5\"} %.6f%n", ep, q[0]));
      out.append(String.format(Locale.ROOT, "earshot_request_seconds{endpoint=\"%s\",quantile=\"0.9\"} %.6f%n", ep, q[1]));
      out.append(String.format(Locale.ROOT, "earshot_request_seconds{endpoint=\"%s\",quantile=\"0.99\"} %.6f%n", ep, q[2]));
      out.append(String.format(Locale.ROOT, "earshot_request_seconds_sum{endpoint=\"%s\"} %.6f%n", ep, l.sum()));
      out.append(String.format(Locale.ROOT, "earshot_request_seconds_count{endpoint=\"%s\"} %d%n", ep, l.count()));
    }
    gauge(out, "earshot_requests_in_flight", "Requests being answered now.", inFlight.get());
    counter(out, "earshot_audio_seconds_total", "Seconds of audio analysed.", audioSeconds.sum());
    counter(out, "earshot_windows_total", "Model inputs (windows) run.", windows.get());
    gauge(out, "earshot_uptime_seconds", "Seconds since the server started.", uptimeSeconds());
    gauge(out, "earshot_heap_used_bytes", "JVM heap in use.",
        ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    long rss = residentBytes();
    if (rss >= 0) {
      gauge(out, "earshot_resident_memory_bytes", "Resident set size of the process (heap, native, code).", rss);
    }
    return out.toString();
  }

  private static void gauge(StringBuilder out, String name, String help, double value) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(" gauge\n");
    out.append(String.format(Locale.ROOT, "%s %s%n", name, number(value)));
  }

  private static void counter(StringBuilder out, String name, String help, double value) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(" counter\n");
    out.append(String.format(Locale.ROOT, "%s %s%n", name, number(value)));
  }

  private static String number(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.6f", v);
  }

  /** VmRSS from /proc/self/status (Linux), or -1. */
  static long residentBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  /** The last {@link #RESERVOIR} latencies of one endpoint, plus the total count and sum. */
  private static final class Latencies {
    private final double[] ring = new double[RESERVOIR];
    private long count;
    private double sum;

    synchronized void add(double seconds) {
      ring[(int) (count % RESERVOIR)] = seconds;
      count++;
      sum += seconds;
    }

    synchronized long count() {
      return count;
    }

    synchronized double sum() {
      return sum;
    }

    synchronized double[] quantiles(double... qs) {
      int n = (int) Math.min(count, RESERVOIR);
      double[] sorted = Arrays.copyOf(ring, n);
      Arrays.sort(sorted);
      double[] out = new double[qs.length];
      for (int i = 0; i < qs.length; i++) {
        out[i] = n == 0 ? 0 : sorted[Math.min(n - 1, (int) Math.ceil(qs[i] * n) - 1 < 0 ? 0 : (int) Math.ceil(qs[i] * n) - 1)];
      }
      return out;
    }
  }
}
