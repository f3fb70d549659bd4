package dev.earshot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code earshot serve}: starts on a free loopback port, tags an MP3 upload, and stops by itself. */
class ServeCommandTest {
  @TempDir Path dir;

  @Test
  void servesAnMp3AndStopsByItself() throws Exception {
    Path fixtures = Path.of(getClass().getResource("/fixtures/models/cases.json").toURI()).getParent();
    Path model = dir.resolve("ast");
    CliRunner imp = CliRunner.run("import", "--from", "ast", fixtures.resolve("ast/model.pth").toString(),
        "--out", model.toString(), "--heads", "4", "--frames", "100");
    assertThat(imp.exitCode()).as(imp.err()).isZero();

    CommandLine cli = EarshotCommand.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> cli.execute("serve", "--model",
        model.toString(), "--port", "0", "--stop-after", "6"));
    Pattern url = Pattern.compile("at (http://127\\.0\\.0\\.1:\\d+) ");
    Matcher m = url.matcher("");
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!m.reset(out.toString()).find() && System.nanoTime() < until && !exit.isDone()) {
      Thread.sleep(20);
    }
    assertThat(m.reset(out.toString()).find()).as(out + "\n" + err).isTrue();
    String base = m.group(1);

    byte[] mp3 = Files.readAllBytes(Path.of(getClass().getResource("/fixtures/codecs/stereo_44k1.mp3").toURI()));
    HttpClient client = HttpClient.newHttpClient();
    HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + "/v1/classify?top_k=2&name=a.mp3"))
        .POST(HttpRequest.BodyPublishers.ofByteArray(mp3)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode clip = new ObjectMapper().readTree(r.body());
    assertThat(clip.get("input").asText()).isEqualTo("a.mp3");
    assertThat(clip.get("duration_s").asDouble()).isEqualTo(0.6);
    assertThat(clip.get("predictions")).hasSize(2);

    assertThat(exit.get(60, TimeUnit.SECONDS)).isZero();
    assertThat(out.toString()).contains("earshot: stopped");
  }
}
