package dev.earshot.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.earshot.audio.WavWriter;
import dev.earshot.infer.Aggregation;
import dev.earshot.infer.AudioClassifier;
import dev.earshot.infer.WindowedResult;
import dev.earshot.testing.TestModels;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP service on a free loopback port: good requests answer what the Java API answers, bad ones get
 * JSON errors with the right status, concurrent clients are all served correctly, and shutdown lets a running
 * request finish before the port closes.
 */
class InferenceServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path dir;
  static Path model; // AST fixture: 1 s input, 7 classes
  static InferenceServer server;
  static HttpClient client;

  @BeforeAll
  static void start() throws Exception {
    model = TestModels.ast(dir.resolve("ast"));
    server = InferenceServer.start(model, ServerConfig.DEFAULTS.withThreads(6).withMaxBatch(8)
        .withLimits(400_000, 10, 60));
    client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static byte[] wav(double seconds, double freq) {
    int n = (int) (seconds * 16000);
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      double t = i / 16000.0;
      x[i] = (float) (0.3 * Math.sin(2 * Math.PI * (freq + 300 * ((t / 1.5) % 1)) * t));
    }
    return WavWriter.encode(new float[][] {x}, 16000, WavWriter.Coding.PCM16);
  }

  static HttpResponse<String> post(String path, byte[] body) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create(server.url() + path)).timeout(Duration.ofSeconds(60))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> get(String path) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create(server.url() + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void bindsLoopbackOnAFreePort() throws Exception {
    assertThat(server.url()).startsWith("http://127.0.0.1:");
    assertThat(server.port()).isPositive();
    HttpResponse<String> health = get("/health");
    assertThat(health.statusCode()).isEqualTo(200);
    JsonNode h = JSON.readTree(health.body());
    assertThat(h.get("status").asText()).isEqualTo("ok");
    assertThat(h.get("classes").asInt()).isEqualTo(7);
    assertThat(h.get("input_seconds").asDouble()).isEqualTo(1.0);
    assertThat(JSON.readTree(get("/").body()).get("endpoints").has("POST /v1/classify")).isTrue();
  }

  @Test
  void classifyAnswersWhatTheApiAnswers() throws Exception {
    byte[] body = wav(3.0, 400);
    HttpResponse<String> r = post("/v1/classify?top_k=3&name=clip.wav", body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    JsonNode clip = JSON.readTree(r.body());
    assertThat(clip.get("input").asText()).isEqualTo("clip.wav");
    assertThat(clip.get("aggregate").asText()).isEqualTo("mean");
    assertThat(clip.get("windows")).hasSize(5); // 298 frames, windows of 100 every 50
    assertThat(clip.get("windows").get(4).get("end_s").asDouble()).isEqualTo(2.98);
    assertThat(clip.get("predictions")).hasSize(3);
    try (AudioClassifier c = AudioClassifier.open(model)) {
      WindowedResult direct = c.classifyWindows(body, "clip.wav", c.defaultWindows(), Aggregation.MEAN);
      JsonNode best = clip.get("predictions").get(0);
      int index = best.get("index").asInt();
      assertThat(best.get("score").asDouble()).isCloseTo(direct.aggregate()[index], within(1e-5));
    }
    JsonNode max = JSON.readTree(post("/v1/classify?aggregate=max&crop=true", body).body());
    assertThat(max.get("aggregate").asText()).isEqualTo("max");
    assertThat(max.get("cropped").asBoolean()).isTrue();
    assertThat(max.get("windows")).hasSize(1);
  }

  @Test
  void embedClipsWindowsAndTimeSteps() throws Exception {
    byte[] body = wav(2.0, 600);
    JsonNode clip = JSON.readTree(post("/v1/embed?window=1&hop=1", body).body());
    assertThat(clip.get("dimension").asInt()).isEqualTo(64);
    assertThat(clip.get("embedding")).hasSize(64);
    assertThat(clip.get("windows")).hasSize(2);
    JsonNode steps = JSON.readTree(post("/v1/embed?frames=true", body).body());
    JsonNode times = steps.get("timestamps_ms");
    assertThat(steps.get("embeddings")).hasSize(times.size());
    assertThat(times.size()).isGreaterThan(3);
    for (int i = 1; i < times.size(); i++) {
      assertThat(times.get(i).asDouble()).isGreaterThan(times.get(i - 1).asDouble());
    }
  }

  @Test
  void badRequestsGetJsonErrors() throws Exception {
    expectError(get("/v1/classify"), 405, "method_not_allowed");
    expectError(post("/v2/tags", wav(1, 300)), 404, "not_found");
    expectError(post("/v1/classify", new byte[0]), 400, "empty_body");
    expectError(post("/v1/classify", "definitely not audio, just text".getBytes()), 415, "unsupported_format");
    byte[] good = wav(1, 300);
    expectError(post("/v1/classify", Arrays.copyOf(good, good.length - 1000)), 422, "truncated");
    expectError(post("/v1/classify?top_k=many", good), 400, "bad_parameter");
    expectError(post("/v1/classify?aggregate=median", good), 400, "bad_parameter");
    expectError(post("/v1/classify?window=5", good), 400, "bad_parameter");
    expectError(post("/v1/classify?window=1&hop=2", good), 400, "bad_parameter");
    expectError(post("/v1/classify", wav(11, 300)), 413, "audio_too_long"); // limit 10 s (body 352 kB)
    expectError(post("/v1/classify", new byte[500_000]), 413, "body_too_large"); // limit 400 kB
    assertThat(get("/health").statusCode()).isEqualTo(200); // still serving
    String metrics = get("/metrics").body();
    assertThat(metrics).contains("earshot_requests_total{endpoint=\"/v1/classify\",status=\"413\"}",
        "earshot_request_seconds{endpoint=\"/v1/classify\",quantile=\"0.99\"}", "earshot_resident_memory_bytes");
  }

  @Test
  void concurrentClientsAreBatchedAndAllServedCorrectly() throws Exception {
    byte[] a = wav(1.5, 300);
    byte[] b = wav(2.5, 900);
    String expectedA = JSON.readTree(post("/v1/classify", a).body()).get("predictions").toString();
    String expectedB = JSON.readTree(post("/v1/classify", b).body()).get("predictions").toString();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<String[]>> futures = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        byte[] body = i % 2 == 0 ? a : b;
        futures.add(pool.submit(() -> {
          HttpResponse<String> r = post("/v1/classify", body);
          return new String[] {Integer.toString(r.statusCode()), r.body()};
        }));
      }
      for (int i = 0; i < futures.size(); i++) {
        String[] r = futures.get(i).get();
        assertThat(r[0]).isEqualTo("200");
        JsonNode predictions = JSON.readTree(r[1]).get("predictions");
        JsonNode expected = JSON.readTree(i % 2 == 0 ? expectedA : expectedB);
        for (int k = 0; k < expected.size(); k++) {
          assertThat(predictions.get(k).get("index").asInt()).isEqualTo(expected.get(k).get("index").asInt());
          assertThat(predictions.get(k).get("score").asDouble())
              .isCloseTo(expected.get(k).get("score").asDouble(), within(1e-5));
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void shutdownLetsRunningRequestsFinish() throws Exception {
    InferenceServer own = InferenceServer.start(model, ServerConfig.DEFAULTS.withThreads(2)
        .withShutdownGraceSeconds(300)); // generous: a starved machine once took > 30 s for the 119 windows
    try {
      String url = own.url();
      byte[] longClip = wav(60, 300);
      CompletableFuture<HttpResponse<String>> running = client.sendAsync(
          HttpRequest.newBuilder(URI.create(url + "/v1/classify")).POST(HttpRequest.BodyPublishers.ofByteArray(longClip))
              .build(), HttpResponse.BodyHandlers.ofString());
      long until = System.nanoTime() + 20_000_000_000L;
      while (own.inFlight() == 0 && System.nanoTime() < until) {
        Thread.sleep(2);
      }
      assertThat(own.inFlight()).isEqualTo(1);
      own.close();
      HttpResponse<String> finished = running.get();
      assertThat(finished.statusCode()).as(finished.body()).isEqualTo(200);
      assertThat(JSON.readTree(finished.body()).get("windows")).hasSize(119);
      assertThatThrownBy(() -> client.send(HttpRequest.newBuilder(URI.create(url + "/health")).GET().build(),
          HttpResponse.BodyHandlers.ofString())).isInstanceOf(ConnectException.class);
    } finally {
      own.close();
    }
  }

  private static void expectError(HttpResponse<String> r, int status, String code) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    JsonNode e = JSON.readTree(r.body()).get("error");
    assertThat(e.get("status").asInt()).isEqualTo(status);
    assertThat(e.get("code").asText()).isEqualTo(code);
    assertThat(e.get("message").asText()).isNotBlank();
  }
}
