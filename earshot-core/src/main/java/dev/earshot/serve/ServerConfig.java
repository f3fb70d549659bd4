package dev.earshot.serve;

import static dev.earshot.ConfigException.require;

import java.util.Objects;

/**
 * Settings of an {@link InferenceServer}.
 *
 * @param host address to bind; loopback ({@code 127.0.0.1}) unless the service is meant to be reachable
 * @param port TCP port, 0 for any free one (see {@link InferenceServer#port()})
 * @param threads request threads (decoding, features and waiting for the model run on them; the model
 *     itself runs on one batching thread)
 * @param maxBatch largest batch the model runs; requests of all clients are batched together
 * @param maxBodyBytes largest request body; larger ones get 413
 * @param maxAudioSeconds longest audio a request may hold (checked while decoding); longer gets 413
 * @param requestTimeoutSeconds time a request may take from arrival, queueing included; later gets 503/504
 * @param defaultTopK classes returned when the request does not say
 * @param shutdownGraceSeconds how long {@link InferenceServer#close()} lets running requests finish
 */
public record ServerConfig(String host, int port, int threads, int maxBatch, long maxBodyBytes,
    double maxAudioSeconds, double requestTimeoutSeconds, int defaultTopK, int shutdownGraceSeconds) {

  /** Loopback, a free port, 8 threads, batches of 16, 64 MiB bodies, 1 hour of audio, 5 minutes per request. */
  public static final ServerConfig DEFAULTS =
      new ServerConfig("127.0.0.1", 0, 8, 16, 64L << 20, 3600, 300, 5, 10);

  public ServerConfig {
    Objects.requireNonNull(host, "host");
    require(port >= 0 && port <= 65535, "port", "must be 0 .. 65535, got " + port);
    require(threads >= 1, "threads", "must be >= 1, got " + threads);
    require(maxBatch >= 1, "maxBatch", "must be >= 1, got " + maxBatch);
    require(maxBodyBytes >= 1, "maxBodyBytes", "must be >= 1, got " + maxBodyBytes);
    require(maxAudioSeconds > 0, "maxAudioSeconds", "must be positive, got " + maxAudioSeconds);
    require(requestTimeoutSeconds > 0, "requestTimeoutSeconds", "must be positive, got " + requestTimeoutSeconds);
    require(defaultTopK >= 1, "defaultTopK", "must be >= 1, got " + defaultTopK);
    require(shutdownGraceSeconds >= 0, "shutdownGraceSeconds", "must be >= 0, got " + shutdownGraceSeconds);
  }

  public ServerConfig withHost(String h) {
    return new ServerConfig(h, port, threads, maxBatch, maxBodyBytes, maxAudioSeconds, requestTimeoutSeconds,
        defaultTopK, shutdownGraceSeconds);
  }

  public ServerConfig withPort(int p) {
    return new ServerConfig(host, p, threads, maxBatch, maxBodyBytes, maxAudioSeconds, requestTimeoutSeconds,
        defaultTopK, shutdownGraceSeconds);
  }

  public ServerConfig withThreads(int t) {
    return new ServerConfig(host, port, t, maxBatch, maxBodyBytes, maxAudioSeconds, requestTimeoutSeconds,
        defaultTopK, shutdownGraceSeconds);
  }

  public ServerConfig withMaxBatch(int b) {
    return new ServerConfig(host, port, threads, b, maxBodyBytes, maxAudioSeconds, requestTimeoutSeconds,
        defaultTopK, shutdownGraceSeconds);
  }

  public ServerConfig withLimits(long bodyBytes, double audioSeconds, double timeoutSeconds) {
    return new ServerConfig(host, port, threads, maxBatch, bodyBytes, audioSeconds, timeoutSeconds, defaultTopK,
        shutdownGraceSeconds);
  }

  public ServerConfig withShutdownGraceSeconds(int s) {
    return new ServerConfig(host, port, threads, maxBatch, maxBodyBytes, maxAudioSeconds, requestTimeoutSeconds,
        defaultTopK, s);
  }
}
