package dev.earshot.infer;

import dev.earshot.EarshotException;
import dev.earshot.audio.AudioFile;
import dev.earshot.audio.AudioInputException;
import dev.earshot.audio.AudioStream;
import dev.earshot.audio.Waveform;
import dev.earshot.features.ClipWindows;
import dev.earshot.features.FeatureWindow;
import dev.earshot.features.FrontEnd;
import dev.earshot.features.WindowSpec;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs the windows of one clip through a {@link ModelRunner} as they are cut, keeping at most a fixed number
 * of windows in flight: memory stays bounded by that number however long the clip, while the runner can
 * still batch consecutive windows (and windows of other callers).
 */
final class WindowedInference {
  /** The clip to analyse: a file or bytes (both streamed), an open stream, or samples in memory. */
  record Input(Path file, byte[] bytes, AudioStream stream, Waveform waveform, String name) {
    static Input of(Path file) {
      return new Input(file, null, null, null, file.toString());
    }

    static Input of(byte[] bytes, String name) {
      return new Input(null, bytes, null, null, name);
    }

    static Input of(AudioStream stream) {
      return new Input(null, null, stream, null, stream.source());
    }

    static Input of(Waveform waveform, String name) {
      return new Input(null, null, null, waveform, name);
    }
  }

  private WindowedInference() {}

  /**
   * Cuts {@code input} with {@code spec}, submits each window, and hands (window, result) pairs to
   * {@code take} in window order.
   */
  static ClipWindows run(FrontEnd frontEnd, Input input, WindowSpec spec, int maxInFlight,
      Function<float[][], CompletableFuture<ModelRunner.Result>> submit,
      BiConsumer<FeatureWindow, ModelRunner.Result> take) {
    ArrayDeque<Pending> pending = new ArrayDeque<>();
    Consumer<FeatureWindow> sink = w -> {
      if (pending.size() >= maxInFlight) {
        Pending oldest = pending.removeFirst();
        take.accept(oldest.window, AudioEmbedder.get(oldest.result));
      }
      pending.addLast(new Pending(w, submit.apply(w.features())));
    };
    ClipWindows clip;
    try {
      if (input.file() != null) {
        clip = frontEnd.windows(input.file(), spec, sink);
      } else if (input.waveform() != null) {
        clip = frontEnd.windows(input.waveform(), spec, sink);
      } else if (input.stream() != null) {
        clip = frontEnd.windows(input.stream(), spec, sink);
      } else {
        try (AudioStream stream = AudioFile.stream(input.bytes(), input.name())) {
          clip = frontEnd.windows(stream, spec, sink);
        }
      }
    } catch (RuntimeException e) {
      pending.forEach(p -> p.result.cancel(false));
      if (e instanceof AudioInputException ae && ae.source() == null) {
        throw ae.withSource(input.name());
      }
      throw e;
    }
    while (!pending.isEmpty()) {
      Pending p = pending.removeFirst();
      take.accept(p.window, AudioEmbedder.get(p.result));
    }
    return clip;
  }

  /** Per-window values, then the aggregate. */
  static WindowedResult collect(FrontEnd frontEnd, Input input, WindowSpec spec, int maxInFlight,
      Function<float[][], CompletableFuture<ModelRunner.Result>> submit,
      Function<ModelRunner.Result, float[]> values, Aggregation aggregation) {
    List<WindowValues> windows = new ArrayList<>();
    ClipWindows clip = run(frontEnd, input, spec, maxInFlight, submit,
        (w, r) -> windows.add(new WindowValues(w.index(), w.startSeconds(), w.endSeconds(), values.apply(r))));
    if (windows.isEmpty()) {
      throw new EarshotException(input.name() + ": no window to analyse");
    }
    double shift = frontEnd.fbank().frameShiftMs() / 1000.0;
    return new WindowedResult(input.name(), clip.durationSeconds(), spec.windowFrames() * shift,
        spec.hopFrames() * shift, clip.cropped(), windows, aggregation,
        aggregation.apply(windows.stream().map(WindowValues::values).toList()));
  }

  private record Pending(FeatureWindow window, CompletableFuture<ModelRunner.Result> result) {}
}
