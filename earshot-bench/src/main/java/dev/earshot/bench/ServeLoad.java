package dev.earshot.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Load test of {@code earshot serve} on loopback: N clients post the same audio file to /v1/classify back to
 * back for S seconds (and at most R requests in all), while the server's resident memory is read from
 * /metrics every 2 s. Prints one JSON line: requests, errors, requests/s, p50/p99 latency, RSS over time.
 *
 * <p>Usage: {@code ServeLoad --url http://127.0.0.1:PORT --clients N --seconds S --max-requests R FILE}
 */
public final class ServeLoad {
  private static final Pattern RSS = Pattern.compile("earshot_resident_memory_bytes (\\d+)");

  private ServeLoad() {}

  /** Every k-th sample in MB, as a JSON array. */
  private static String every(List<Long> samples, int k) {
    StringBuilder out = new StringBuilder("[");
    for (int i = 0; i < samples.size(); i += k) {
      out.append(out.length() > 1 ? ", " : "").append(String.format(Locale.ROOT, "%.0f", samples.get(i) / 1048576.0));
    }
    return out.append(']').toString();
  }

  public static void main(String[] args) throws Exception {
    String url = null;
    int clients = 4;
    double seconds = 60;
    long maxRequests = 100_000;
    Path file = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--url" -> url = args[++i];
        case "--clients" -> clients = Integer.parseInt(args[++i]);
        case "--seconds" -> seconds = Double.parseDouble(args[++i]);
        case "--max-requests" -> maxRequests = Long.parseLong(args[++i]);
        default -> file = Path.of(args[i]);
      }
    }
    if (url == null || file == null || !url.startsWith("http://127.0.0.1:")) {
      throw new IllegalArgumentException("usage: --url http://127.0.0.1:PORT [--clients N] [--seconds S] FILE");
    }
    byte[] body = Files.readAllBytes(file);
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    URI classify = URI.create(url + "/v1/classify?top_k=3");
    URI metrics = URI.create(url + "/metrics");
    // warm-up: a few requests before timing
    for (int i = 0; i < 3; i++) {
      client.send(HttpRequest.newBuilder(classify).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
          HttpResponse.BodyHandlers.ofString());
    }
    long end = System.nanoTime() + (long) (seconds * 1e9);
    AtomicLong issued = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
    List<Long> rss = Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(clients + 1);
    long maxReq = maxRequests;
    long start = System.nanoTime();
    List<Future<?>> workers = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      workers.add(pool.submit(() -> {
        while (System.nanoTime() < end && issued.incrementAndGet() <= maxReq) {
          long t0 = System.nanoTime();
          try {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(classify).timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
              errors.incrementAndGet();
            }
          } catch (Exception e) {
            errors.incrementAndGet();
          }
          latencies.add((System.nanoTime() - t0) / 1e9);
        }
        return null;
      }));
    }
    Future<?> sampler = pool.submit(() -> {
      while (System.nanoTime() < end) {
        try {
          Matcher m = RSS.matcher(client.send(HttpRequest.newBuilder(metrics).GET().build(),
              HttpResponse.BodyHandlers.ofString()).body());
          if (m.find()) {
            rss.add(Long.parseLong(m.group(1)));
          }
          Thread.sleep(2000);
        } catch (InterruptedException e) {
          return null;
        }
      }
      return null;
    });
    for (Future<?> w : workers) {
      w.get();
    }
    double wall = (System.nanoTime() - start) / 1e9;
    sampler.cancel(true);
    pool.shutdownNow();
    List<Double> sorted = new ArrayList<>(latencies);
    Collections.sort(sorted);
    int n = sorted.size();
    long rssFirst = rss.isEmpty() ? -1 : rss.get(0);
    long rssLast = rss.isEmpty() ? -1 : rss.get(rss.size() - 1);
    long rssMax = rss.stream().mapToLong(Long::longValue).max().orElse(-1);
    long rssMin = rss.stream().mapToLong(Long::longValue).min().orElse(-1);
    System.out.printf(Locale.ROOT,
        "{\"clients\": %d, \"seconds\": %.1f, \"requests\": %d, \"errors\": %d, \"requests_per_s\": %.2f,"
            + " \"p50_s\": %.4f, \"p99_s\": %.4f, \"max_s\": %.4f, \"rss_mb_first\": %.1f, \"rss_mb_last\": %.1f,"
            + " \"rss_mb_min\": %.1f, \"rss_mb_max\": %.1f, \"rss_samples\": %d, \"rss_mb_every_10s\": %s}%n",
        clients, wall, n, errors.get(), n / wall, sorted.get(n / 2), sorted.get(Math.min(n - 1, (int) (n * 0.99))),
        sorted.get(n - 1), rssFirst / 1048576.0, rssLast / 1048576.0, rssMin / 1048576.0, rssMax / 1048576.0,
        rss.size(), every(rss, 5));
  }
}
