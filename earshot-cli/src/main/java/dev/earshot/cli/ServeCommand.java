package dev.earshot.cli;

import dev.earshot.serve.InferenceServer;
import dev.earshot.serve.ServerConfig;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code earshot serve}: an HTTP service for tags and embeddings. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "An HTTP service over a model directory: POST audio bytes (any format 'classify' reads) and get JSON.",
      "",
      "  POST /v1/classify?top_k=5&aggregate=mean|max&window=SEC&hop=SEC&crop=true   top-k tags, per window and clip",
      "  POST /v1/embed?aggregate=mean&frames=true                                   clip/window or time-step embeddings",
      "  GET  /health    GET /metrics (Prometheus text)    GET / (endpoints and limits)",
      "",
      "Requests of all clients are batched together on the model. Limits answer with JSON errors: 413 (body or",
      "audio too large), 415 (not audio), 422 (damaged audio), 504 (time limit), 400/404/405 (bad request).",
      "Binds to 127.0.0.1 by default; --port 0 picks a free port (printed). Ctrl-C or SIGTERM stops it",
      "gracefully: running requests finish, new ones get 503."
    })
final class ServeCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin ExecutionOptions compute;

  @Option(names = "--model", required = true, paramLabel = "DIR", description = "An earshot model directory.")
  Path model;

  @Option(names = "--host", paramLabel = "ADDR", defaultValue = "127.0.0.1",
      description = "Address to bind (default 127.0.0.1, this machine only).")
  String host;

  @Option(names = "--port", paramLabel = "N", defaultValue = "8080", description = "Port (default 8080; 0 = any free).")
  int port;

  @Option(names = "--threads", paramLabel = "N", defaultValue = "8",
      description = "Request threads: decoding and features run on them (default 8).")
  int threads;

  @Option(names = "--batch-size", paramLabel = "N", defaultValue = "16",
      description = "Largest batch the model runs, across clients (default 16).")
  int batchSize;

  @Option(names = "--max-body-mb", paramLabel = "MB", defaultValue = "64", description = "Largest body (default 64).")
  long maxBodyMb;

  @Option(names = "--max-audio-seconds", paramLabel = "SEC", defaultValue = "3600",
      description = "Longest audio per request (default 3600).")
  double maxAudioSeconds;

  @Option(names = "--timeout", paramLabel = "SEC", defaultValue = "300",
      description = "Time limit per request from arrival (default 300).")
  double timeoutSeconds;

  @Option(names = "--stop-after", paramLabel = "SEC",
      description = "Stop by itself after this many seconds (for scripted runs).")
  Double stopAfterSeconds;

  @Override
  public Integer call() throws Exception {
    ServerConfig config = ServerConfig.DEFAULTS.withHost(host).withPort(port).withThreads(threads)
        .withMaxBatch(batchSize).withLimits(maxBodyMb << 20, maxAudioSeconds, timeoutSeconds);
    InferenceServer server = InferenceServer.start(model, config, compute.execution());
    Thread hook = new Thread(server::close, "earshot-serve-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    var out = spec.commandLine().getOut();
    out.printf(Locale.ROOT, "earshot: serving %s at %s (POST /v1/classify, /v1/embed; GET /health, /metrics)%n",
        model, server.url());
    out.flush();
    if (stopAfterSeconds != null) {
      Thread stopper = new Thread(() -> {
        try {
          TimeUnit.MILLISECONDS.sleep((long) (stopAfterSeconds * 1000));
        } catch (InterruptedException e) {
          return;
        }
        server.close();
      }, "earshot-serve-timer");
      stopper.setDaemon(true);
      stopper.start();
    }
    server.awaitStop();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // already shutting down
    }
    out.println("earshot: stopped");
    out.flush();
    return 0;
  }
}
