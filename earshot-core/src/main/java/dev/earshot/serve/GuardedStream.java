package dev.earshot.serve;

import dev.earshot.audio.AudioFormat;
import dev.earshot.audio.AudioStream;
import java.util.Locale;

/**
 * An {@link AudioStream} that enforces a request's limits while it is decoded: at most
 * {@code maxSeconds} of audio (413 as soon as the container declares more, or the decoder passes it) and a
 * deadline (checked before every chunk; 504 after it).
 */
final class GuardedStream implements AudioStream {
  private final AudioStream inner;
  private final double maxSeconds;
  private final long deadlineNanos;
  private long frames;

  GuardedStream(AudioStream inner, double maxSeconds, long deadlineNanos) {
    this.inner = inner;
    this.maxSeconds = maxSeconds;
    this.deadlineNanos = deadlineNanos;
    if (inner.format().durationSeconds() > maxSeconds) {
      throw tooLong(inner.format().durationSeconds());
    }
  }

  @Override
  public String source() {
    return inner.source();
  }

  @Override
  public AudioFormat format() {
    return inner.format();
  }

  @Override
  public int read(float[][] buffer) {
    if (System.nanoTime() > deadlineNanos) {
      throw new HttpError(504, "timeout", "the request took longer than the server's time limit");
    }
    int n = inner.read(buffer);
    if (n > 0) {
      frames += n;
      double seconds = frames / (double) inner.sampleRateHz();
      if (seconds > maxSeconds) {
        throw tooLong(seconds);
      }
    }
    return n;
  }

  private HttpError tooLong(double seconds) {
    return new HttpError(413, "audio_too_long", String.format(Locale.ROOT,
        "the audio is longer than the server's limit of %.0f s (at least %.1f s)", maxSeconds, seconds));
  }

  @Override
  public void close() {
    inner.close();
  }
}
