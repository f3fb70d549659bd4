package dev.earshot.serve;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.earshot.io.Json;
import dev.earshot.tensor.Execution;
import dev.earshot.ConfigException;
import dev.earshot.EarshotException;
import dev.earshot.audio.AudioFile;
import dev.earshot.audio.AudioInputException;
import dev.earshot.audio.AudioStream;
import dev.earshot.features.WindowSpec;
import dev.earshot.infer.Aggregation;
import dev.earshot.infer.AudioClassifier;
import dev.earshot.infer.AudioEmbedder;
import dev.earshot.infer.TimeSteps;
import dev.earshot.infer.WindowedResult;
import dev.earshot.model.ModelDirectory;
import dev.earshot.model.PretrainedSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP service over one model directory, on the JDK's own server ({@code com.sun.net.httpserver}):
 *
 * <pre>
 * POST /v1/classify  body = audio bytes (WAV, FLAC, MP3, Ogg, Opus, M4A, ...) -&gt; top-k tags, per window and clip
 *        ?top_k=5 &amp;aggregate=mean|max &amp;window=SEC &amp;hop=SEC &amp;crop=true &amp;name=clip.mp3
 * POST /v1/embed     body = audio bytes -&gt; clip embedding and every window's; ?frames=true: time-step embeddings
 * GET  /health       {"status": "ok", ...}; 503 {"status": "stopping"} while shutting down
 * GET  /metrics      Prometheus text: requests, latency quantiles, in flight, audio seconds, memory
 * </pre>
 *
 * <p>Requests of all clients go through one {@code ModelRunner}, which batches them. Limits (body size,
 * audio length, time per request) are answered with JSON errors {@code {"error": {"status", "code",
 * "message"}}}: 400 bad parameters, 404/405 wrong path or method, 413 body or audio too large, 415 not audio,
 * 422 damaged audio, 503 stopping, 504 time limit, 500 anything unexpected. Bodies are decoded as streams,
 * so the decoded audio never has to fit in memory at once. {@link #close()} stops accepting, lets running
 * requests finish (up to the grace period), then frees the model.
 */
public final class InferenceServer implements AutoCloseable {

  private final ServerConfig config;
  private final HttpServer server;
  private final ExecutorService executor;
  private final AudioClassifier classifier; // null for a model without a head
  private final AudioEmbedder embedder;
  private final PretrainedSpec spec;
  private final String modelName;
  private final ServerMetrics metrics = new ServerMetrics();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean stopping;

  private InferenceServer(Path modelDir, ServerConfig config, Execution execution) throws IOException {
    this.config = config;
    this.modelName = modelDir.getFileName() == null ? modelDir.toString() : modelDir.getFileName().toString();
    boolean hasHead = !ModelDirectory.readManifest(modelDir).spec().labels().isEmpty();
    if (hasHead) {
      this.classifier = AudioClassifier.open(modelDir, config.maxBatch(), execution);
      this.embedder = classifier.embedder();
    } else {
      this.classifier = null;
      this.embedder = AudioEmbedder.open(modelDir, -1, config.maxBatch(), execution);
    }
    this.spec = embedder.spec();
    AtomicInteger n = new AtomicInteger();
    this.executor = Executors.newFixedThreadPool(config.threads(), r -> {
      Thread t = new Thread(r, "earshot-http-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    try {
      this.server = HttpServer.create(new InetSocketAddress(config.host(), config.port()), 128);
    } catch (IOException e) {
      closeModel();
      executor.shutdownNow();
      throw e;
    }
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /**
   * Loads the model and starts serving.
   *
   * @throws IOException when the address cannot be bound
   */
  public static InferenceServer start(Path modelDir, ServerConfig config) throws IOException {
    return start(modelDir, config, Execution.CPU);
  }

  /** As {@link #start(Path, ServerConfig)}, the model computing on {@code execution}'s device and precision. */
  public static InferenceServer start(Path modelDir, ServerConfig config, Execution execution) throws IOException {
    return new InferenceServer(modelDir, config, execution);
  }

  /** The port the server listens on (the free one chosen for port 0). */
  public int port() {
    return server.getAddress().getPort();
  }

  /** {@code http://host:port}. */
  public String url() {
    return "http://" + config.host() + ":" + port();
  }

  /** Requests being answered now. */
  public int inFlight() {
    return metrics.inFlight();
  }

  /** Waits until {@link #close()} has finished. */
  public void awaitStop() throws InterruptedException {
    stopped.await();
  }

  /** Stops accepting requests, lets running ones finish (up to the grace period), then frees the model. */
  @Override
  public synchronized void close() {
    if (stopping) {
      return;
    }
    stopping = true;
    try {
      server.stop(config.shutdownGraceSeconds()); // waits for running exchanges, up to the grace period
      executor.shutdown();
      executor.awaitTermination(config.shutdownGraceSeconds() + 1L, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      executor.shutdownNow();
      closeModel();
      stopped.countDown();
    }
  }

  private void closeModel() {
    if (classifier != null) {
      classifier.close();
    } else {
      embedder.close();
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    long arrival = System.nanoTime();
    String path = exchange.getRequestURI().getPath();
    String endpoint = endpointName(path);
    // decided once, before the request counts as in flight: a request that got past here is finished
    // even if close() starts while it runs
    boolean refuse = stopping && path.startsWith("/v1/");
    metrics.started();
    int status = 500;
    try {
      if (refuse) {
        drain(exchange.getRequestBody());
        throw new HttpError(503, "stopping", "the server is shutting down");
      }
      Answer answer = route(exchange, path, arrival);
      status = answer.status;
      send(exchange, answer);
    } catch (HttpError e) {
      status = e.status();
      send(exchange, error(e));
    } catch (RuntimeException e) {
      HttpError mapped = map(e);
      status = mapped.status();
      send(exchange, error(mapped));
    } finally {
      metrics.finished(endpoint, status, (System.nanoTime() - arrival) / 1e9);
      exchange.close();
    }
  }

  private Answer route(HttpExchange exchange, String path, long arrival) throws IOException {
    String method = exchange.getRequestMethod();
    switch (path) {
      case "/health":
        requireMethod(method, "GET");
        return health();
      case "/metrics":
        requireMethod(method, "GET");
        return new Answer(200, "text/plain; version=0.0.4; charset=utf-8",
            metrics.render().getBytes(StandardCharsets.UTF_8));
      case "/":
        requireMethod(method, "GET");
        return json(200, index());
      case "/v1/classify":
        requireMethod(method, "POST");
        return classify(exchange, arrival);
      case "/v1/embed":
        requireMethod(method, "POST");
        return embed(exchange, arrival);
      default:
        throw new HttpError(404, "not_found", "no endpoint " + path + " (see GET /)");
    }
  }

  private Answer health() {
    ObjectNode node = Json.object();
    node.put("status", stopping ? "stopping" : "ok");
    node.put("model", modelName);
    node.put("classes", classifier == null ? 0 : classifier.labels().size());
    node.put("embedding_dimension", embedder.dimension());
    node.put("input_seconds", WindowedJson.seconds(spec.targetFrames() * spec.fbank().frameShiftMs() / 1000));
    node.put("in_flight", metrics.inFlight());
    node.put("uptime_s", WindowedJson.seconds(metrics.uptimeSeconds()));
    return json(stopping ? 503 : 200, node);
  }

  private ObjectNode index() {
    ObjectNode node = Json.object();
    node.put("model", modelName);
    ObjectNode endpoints = node.putObject("endpoints");
    endpoints.put("POST /v1/classify", "audio bytes -> top-k tags per window and for the clip"
        + (classifier == null ? " (this model has no classifier head)" : ""));
    endpoints.put("POST /v1/embed", "audio bytes -> clip and window embeddings; ?frames=true for time steps");
    endpoints.put("GET /health", "status");
    endpoints.put("GET /metrics", "Prometheus metrics");
    node.put("limits", String.format(Locale.ROOT, "body %d bytes, audio %.0f s, %.0f s per request",
        config.maxBodyBytes(), config.maxAudioSeconds(), config.requestTimeoutSeconds()));
    return node;
  }

  private Answer classify(HttpExchange exchange, long arrival) throws IOException {
    if (classifier == null) {
      throw new HttpError(404, "no_classifier", "this model has no classifier head; use POST /v1/embed");
    }
    Map<String, String> q = query(exchange);
    int topK = intParam(q, "top_k", config.defaultTopK(), 1, 100_000);
    WindowSpec windows = windows(q);
    Aggregation aggregation = aggregation(q);
    byte[] body = readBody(exchange);
    try (AudioStream stream = open(body, q, arrival)) {
      WindowedResult r = classifier.classifyWindows(stream, windows, aggregation);
      metrics.analysed(r.durationSeconds(), r.windows().size());
      return json(200, WindowedJson.classification(r, s -> classifier.top(s, topK)));
    }
  }

  private Answer embed(HttpExchange exchange, long arrival) throws IOException {
    Map<String, String> q = query(exchange);
    WindowSpec windows = windows(q);
    Aggregation aggregation = aggregation(q);
    boolean frames = boolParam(q, "frames");
    byte[] body = readBody(exchange);
    try (AudioStream stream = open(body, q, arrival)) {
      if (frames) {
        TimeSteps steps = embedder.embedTimeSteps(stream, windows);
        metrics.analysed(0, 0);
        return json(200, WindowedJson.timeSteps(stream.source(), steps));
      }
      WindowedResult r = embedder.embedWindows(stream, windows, aggregation);
      metrics.analysed(r.durationSeconds(), r.windows().size());
      return json(200, WindowedJson.embedding(r));
    }
  }

  private AudioStream open(byte[] body, Map<String, String> q, long arrival) {
    long deadline = arrival + (long) (config.requestTimeoutSeconds() * 1e9);
    if (System.nanoTime() > deadline) {
      throw new HttpError(503, "busy", "the request waited longer than the server's time limit");
    }
    String name = q.getOrDefault("name", "request");
    return new GuardedStream(AudioFile.stream(body, name), config.maxAudioSeconds(), deadline);
  }

  private byte[] readBody(HttpExchange exchange) throws IOException {
    String declared = exchange.getRequestHeaders().getFirst("Content-Length");
    if (declared != null) {
      long length;
      try {
        length = Long.parseLong(declared.trim());
      } catch (NumberFormatException e) {
        throw new HttpError(400, "bad_request", "Content-Length is not a number: " + declared);
      }
      if (length > config.maxBodyBytes()) {
        drain(exchange.getRequestBody());
        throw new HttpError(413, "body_too_large", "the body has " + length + " bytes, the limit is "
            + config.maxBodyBytes());
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[64 * 1024];
    long total = 0;
    try (InputStream in = exchange.getRequestBody()) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        total += n;
        if (total > config.maxBodyBytes()) {
          drain(in);
          throw new HttpError(413, "body_too_large", "the body is larger than the limit of "
              + config.maxBodyBytes() + " bytes");
        }
        out.write(buffer, 0, n);
      }
    }
    if (total == 0) {
      throw new HttpError(400, "empty_body", "send the audio file as the request body");
    }
    return out.toByteArray();
  }

  /**
   * Reads and discards what is left of a refused body (up to 4 x the body limit), so that the client, still
   * sending, receives the error instead of a reset connection; beyond that the connection is dropped.
   */
  private void drain(InputStream in) throws IOException {
    byte[] sink = new byte[64 * 1024];
    long left = 4 * config.maxBodyBytes();
    int n;
    while (left > 0 && (n = in.read(sink, 0, (int) Math.min(sink.length, left))) > 0) {
      left -= n;
    }
  }

  private WindowSpec windows(Map<String, String> q) {
    double shift = spec.fbank().frameShiftMs() / 1000.0;
    WindowSpec windows;
    if (q.containsKey("window") || q.containsKey("hop")) {
      double window = doubleParam(q, "window", spec.targetFrames() * shift);
      double hop = doubleParam(q, "hop", window / 2);
      try {
        windows = WindowSpec.seconds(window, hop, spec.fbank());
      } catch (ConfigException e) {
        throw new HttpError(400, "bad_parameter", e.getMessage());
      }
      if (windows.windowFrames() > spec.targetFrames()) {
        throw new HttpError(400, "bad_parameter", String.format(Locale.ROOT,
            "window %.2f s is longer than the model's input (%.2f s)", window, spec.targetFrames() * shift));
      }
    } else {
      windows = WindowSpec.forModel(spec.targetFrames());
    }
    return boolParam(q, "crop") ? windows.cropped() : windows;
  }

  private static Aggregation aggregation(Map<String, String> q) {
    String a = q.getOrDefault("aggregate", "mean").toLowerCase(Locale.ROOT);
    switch (a) {
      case "mean":
        return Aggregation.MEAN;
      case "max":
        return Aggregation.MAX;
      default:
        throw new HttpError(400, "bad_parameter", "aggregate must be mean or max, got '" + a + "'");
    }
  }

  private static Map<String, String> query(HttpExchange exchange) {
    Map<String, String> out = new HashMap<>();
    String raw = exchange.getRequestURI().getRawQuery();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      out.put(key, value);
    }
    return out;
  }

  private static int intParam(Map<String, String> q, String key, int fallback, int min, int max) {
    String v = q.get(key);
    if (v == null) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(v.trim());
      if (n < min || n > max) {
        throw new HttpError(400, "bad_parameter", key + " must be " + min + " .. " + max + ", got " + n);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new HttpError(400, "bad_parameter", key + " must be an integer, got '" + v + "'");
    }
  }

  private static double doubleParam(Map<String, String> q, String key, double fallback) {
    String v = q.get(key);
    if (v == null) {
      return fallback;
    }
    try {
      double d = Double.parseDouble(v.trim());
      if (!(d > 0) || Double.isInfinite(d)) {
        throw new HttpError(400, "bad_parameter", key + " must be a positive number of seconds, got " + v);
      }
      return d;
    } catch (NumberFormatException e) {
      throw new HttpError(400, "bad_parameter", key + " must be a number of seconds, got '" + v + "'");
    }
  }

  private static boolean boolParam(Map<String, String> q, String key) {
    String v = q.get(key);
    if (v == null) {
      return false;
    }
    switch (v.toLowerCase(Locale.ROOT)) {
      case "":
      case "true":
      case "1":
      case "yes":
        return true;
      case "false":
      case "0":
      case "no":
        return false;
      default:
        throw new HttpError(400, "bad_parameter", key + " must be true or false, got '" + v + "'");
    }
  }

  private static void requireMethod(String method, String allowed) {
    if (!allowed.equals(method)) {
      throw new HttpError(405, "method_not_allowed", method + " is not allowed here; use " + allowed);
    }
  }

  /** Errors from the library to HTTP: bad audio is the client's problem, anything unexpected the server's. */
  private static HttpError map(RuntimeException e) {
    if (e instanceof AudioInputException a) {
      String code = a.problem().name().toLowerCase(Locale.ROOT);
      switch (a.problem()) {
        case UNSUPPORTED_FORMAT:
          return new HttpError(415, code, a.getMessage(), e);
        case NOT_FOUND:
        case UNREADABLE:
          return new HttpError(400, code, a.getMessage(), e);
        default:
          return new HttpError(422, code, a.getMessage(), e);
      }
    }
    if (e instanceof ConfigException) {
      return new HttpError(400, "bad_parameter", e.getMessage(), e);
    }
    if (e instanceof EarshotException) {
      return new HttpError(422, "unprocessable", e.getMessage(), e);
    }
    if (e.getCause() instanceof HttpError h) {
      return h;
    }
    return new HttpError(500, "internal", "internal error: " + e, e);
  }

  private static Answer error(HttpError e) {
    ObjectNode node = Json.object();
    ObjectNode err = node.putObject("error");
    err.put("status", e.status());
    err.put("code", e.code());
    err.put("message", e.getMessage());
    return json(e.status(), node);
  }

  private static Answer json(int status, ObjectNode node) {
    try {
      return new Answer(status, "application/json", Json.bytes(node));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void send(HttpExchange exchange, Answer answer) {
    try {
      exchange.getResponseHeaders().set("Content-Type", answer.contentType);
      if (answer.status == 503) {
        exchange.getResponseHeaders().set("Retry-After", "5");
      }
      exchange.sendResponseHeaders(answer.status, answer.body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(answer.body);
      }
    } catch (IOException e) {
      // the client went away; nothing to answer
    }
  }

  private static String endpointName(String path) {
    switch (path) {
      case "/v1/classify":
      case "/v1/embed":
      case "/health":
      case "/metrics":
      case "/":
        return path;
      default:
        return "other";
    }
  }

  private record Answer(int status, String contentType, byte[] body) {}
}
