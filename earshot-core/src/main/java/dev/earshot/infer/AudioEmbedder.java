package dev.earshot.infer;

import dev.earshot.tensor.Execution;
import dev.earshot.EarshotException;
import dev.earshot.audio.AudioStream;
import dev.earshot.audio.Waveform;
import dev.earshot.features.FrontEnd;
import dev.earshot.features.WindowSpec;
import dev.earshot.model.ModelDirectory;
import dev.earshot.model.PretrainedSpec;
import dev.earshot.model.Readout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Clip and patch embeddings from any earshot model directory.
 *
 * <pre>{@code
 * try (AudioEmbedder embedder = AudioEmbedder.open(Path.of("models/ssast-base-patch"))) {
 *   float[] clip = embedder.embed(Path.of("dog.wav"));                 // (D)
 *   TokenEmbeddings patches = embedder.embedTokens(Path.of("dog.wav"));  // (N, D) + grid
 * }
 * }</pre>
 *
 * <p>Audio goes through the model's own front end ({@link PretrainedSpec}); precomputed, normalised
 * features can be passed instead. By default the clip embedding is the model's recorded {@link Readout} (its
 * {@code model.json}: the pooling and layers its pretraining found best for frozen use), or, for models without
 * one, the model's pooling (mean of patches, CLS, or CLS + distillation) of its final output (after the final
 * norm where the model has one). A layer can be chosen instead: 0 the embedded input, k the output of block k.
 * Safe for concurrent callers: requests are batched internally. Close it to free native memory.
 */
public final class AudioEmbedder implements AutoCloseable {
  private final ModelRunner runner;
  private final Readout readout;
  /** Widths measured from one silent input on first use (0: not yet). */
  private volatile int clipWidth;
  private volatile int tokenWidth;
  private final int maxInFlight;
  private final boolean ownsRunner;

  private AudioEmbedder(ModelRunner runner, Readout readout, int maxBatch, boolean ownsRunner) {
    this.runner = runner;
    this.readout = readout == null ? runner.manifest().readoutOrDefault() : readout;
    this.readout.requireLayersOf(runner.model().depth());
    this.maxInFlight = 2 * Math.max(1, maxBatch);
    this.ownsRunner = ownsRunner;
  }

  /** The model's readout from a runner owned by someone else (see {@link AudioClassifier#embedder()}). */
  static AudioEmbedder sharing(ModelRunner runner, int maxBatch) {
    return new AudioEmbedder(runner, null, maxBatch, false);
  }

  /** Embeddings by the model's readout, batches of up to 16. */
  public static AudioEmbedder open(Path modelDir) {
    return open(modelDir, -1, 16);
  }

  /**
   * Embeddings of {@code layer} (-1: the model's readout, by default its final output; 0 input; k block k, by the
   * model's pooling), batches of up to {@code maxBatch}.
   */
  public static AudioEmbedder open(Path modelDir, int layer, int maxBatch) {
    return open(modelDir, layer, maxBatch, Execution.CPU);
  }

  /** As {@link #open(Path, int, int)}, computing on {@code execution}'s device and precision. */
  public static AudioEmbedder open(Path modelDir, int layer, int maxBatch, Execution execution) {
    return open(modelDir, layer == -1 ? null : Readout.layer(layer), maxBatch, execution);
  }

  /**
   * Embeddings read out as {@code readout} says (a pooling rule and the layers to average; null: the model's
   * recorded readout), batches of up to {@code maxBatch}, computed on {@code execution}'s device and precision.
   */
  public static AudioEmbedder open(Path modelDir, Readout readout, int maxBatch, Execution execution) {
    ModelRunner runner = new ModelRunner(modelDir, maxBatch, execution);
    try {
      return new AudioEmbedder(runner, readout, maxBatch, true);
    } catch (RuntimeException e) {
      runner.close();
      throw e;
    }
  }

  /** How the clip and time-step embeddings are read out of the model. */
  public Readout readout() {
    return readout;
  }

  /** The model's preprocessing. */
  public PretrainedSpec spec() {
    return runner.manifest().spec();
  }

  /** The model's manifest (architecture, configuration, preprocessing). */
  public ModelDirectory.Manifest manifest() {
    return runner.manifest();
  }

  /**
   * Width of the clip embeddings under this readout: the width D of its layer (an early MAST stage is narrower
   * than the last), 2 D when it appends the time statistics, F' D or 2 F' D by frequency rows — measured once
   * from one embedding of a silent input, so every readout is counted the way it is computed.
   */
  public int dimension() {
    if (clipWidth == 0) {
      clipWidth = embedFeatures(silence()).length;
    }
    return clipWidth;
  }

  /** Width D of the time-step and patch embeddings at the readout's layer (measured as {@link #dimension()}). */
  public int tokenDimension() {
    if (tokenWidth == 0) {
      tokenWidth = embedTokensOfFeatures(silence()).tokens()[0].length;
    }
    return tokenWidth;
  }

  /** Normalised-domain zeros of the model's input shape (T, F). */
  private float[][] silence() {
    return new float[spec().targetFrames()][spec().fbank().numMelBins()];
  }

  /**
   * Clip embedding (D) of an audio file of any length: the mean over {@link #defaultWindows()} of each
   * window's pooled embedding (for a clip no longer than the model's input, its one window).
   */
  public float[] embed(Path audio) {
    return embedWindows(audio, defaultWindows(), Aggregation.MEAN).aggregate();
  }

  /** {@link #embed(Path)} for a file held in memory, named {@code name} in errors. */
  public float[] embed(byte[] audio, String name) {
    return embedWindows(audio, name, defaultWindows(), Aggregation.MEAN).aggregate();
  }

  /** Windows of the model's input length, each starting half a window after the previous one. */
  public WindowSpec defaultWindows() {
    return WindowSpec.forModel(spec().targetFrames());
  }

  /** Pooled embeddings of every window of a clip of any length, with timestamps, and their aggregate. */
  public WindowedResult embedWindows(Path audio, WindowSpec windows, Aggregation aggregation) {
    return WindowedInference.collect(spec().frontEnd(), WindowedInference.Input.of(audio), windows, maxInFlight,
        f -> submit(f, false), ModelRunner.Result::pooled, aggregation);
  }

  /** {@link #embedWindows(Path, WindowSpec, Aggregation)} for a file held in memory. */
  public WindowedResult embedWindows(byte[] audio, String name, WindowSpec windows, Aggregation aggregation) {
    return WindowedInference.collect(spec().frontEnd(), WindowedInference.Input.of(audio, name), windows,
        maxInFlight, f -> submit(f, false), ModelRunner.Result::pooled, aggregation);
  }

  /** {@link #embedWindows(Path, WindowSpec, Aggregation)} for an open stream (the caller closes it). */
  public WindowedResult embedWindows(AudioStream audio, WindowSpec windows, Aggregation aggregation) {
    return WindowedInference.collect(spec().frontEnd(), WindowedInference.Input.of(audio), windows, maxInFlight,
        f -> submit(f, false), ModelRunner.Result::pooled, aggregation);
  }

  /** {@link #embedTimeSteps(Path, WindowSpec)} for an open stream (the caller closes it). */
  public TimeSteps embedTimeSteps(AudioStream audio, WindowSpec windows) {
    return timeSteps(WindowedInference.Input.of(audio), windows);
  }

  /** Time-step (timestamp) embeddings of a whole clip of any length, stitched across windows. */
  public TimeSteps embedTimeSteps(Path audio, WindowSpec windows) {
    return timeSteps(WindowedInference.Input.of(audio), windows);
  }

  /** {@link #embedTimeSteps(Path, WindowSpec)} for a file held in memory. */
  public TimeSteps embedTimeSteps(byte[] audio, String name, WindowSpec windows) {
    return timeSteps(WindowedInference.Input.of(audio, name), windows);
  }

  private TimeSteps timeSteps(WindowedInference.Input input, WindowSpec windows) {
    double hopMs = windows.hopFrames() * spec().fbank().frameShiftMs();
    List<float[]> steps = new ArrayList<>();
    List<Double> times = new ArrayList<>();
    // A window owns the steps in [start, start + hop); the rest of its steps matter only if it is the last
    // window, so they are held until the next window arrives (memory: one window's steps). The last window may
    // start less than a hop after its predecessor (it ends at the clip's end): its steps before the end of what
    // is already owned are skipped.
    List<float[]> tail = new ArrayList<>();
    List<Double> tailTimes = new ArrayList<>();
    double[] owned = {Double.NEGATIVE_INFINITY}; // ms: steps before this came from earlier windows
    // a clip shorter than half a step has no step centred inside it: it keeps its first one
    List<float[]> first = new ArrayList<>();
    List<Double> firstTime = new ArrayList<>();
    dev.earshot.features.ClipWindows clip = WindowedInference.run(spec().frontEnd(), input, windows, maxInFlight,
        f -> submit(f, true), (w, r) -> {
          tail.clear();
          tailTimes.clear();
          TokenEmbeddings t = tokens(r);
          float[][] seq = t.perTimeStep();
          double[] local = t.timestampsMs();
          double start = w.startSeconds() * 1000;
          if (first.isEmpty() && seq.length > 0) {
            first.add(seq[0]);
            firstTime.add(start + local[0]);
          }
          double end = w.endSeconds() * 1000;
          for (int i = 0; i < seq.length; i++) {
            double at = start + local[i];
            if (at >= end) {
              break; // padding
            }
            if (at < owned[0]) {
              continue; // an earlier window's step
            }
            if (at < start + hopMs) {
              steps.add(seq[i]);
              times.add(at);
            } else {
              tail.add(seq[i]);
              tailTimes.add(at);
            }
          }
          owned[0] = start + hopMs;
        });
    steps.addAll(tail);
    times.addAll(tailTimes);
    if (steps.isEmpty()) {
      steps.addAll(first);
      times.addAll(firstTime);
    }
    double[] ms = new double[times.size()];
    for (int i = 0; i < ms.length; i++) {
      ms[i] = times.get(i);
    }
    return new TimeSteps(steps.toArray(new float[0][]), ms, clip.cropped());
  }

  /** Clip embedding (D) of a waveform of any length and rate, like {@link #embed(Path)}. */
  public float[] embed(Waveform waveform) {
    return WindowedInference.collect(spec().frontEnd(), WindowedInference.Input.of(waveform, "<waveform>"),
        defaultWindows(), maxInFlight, f -> submit(f, false), ModelRunner.Result::pooled, Aggregation.MEAN)
        .aggregate();
  }

  /** Clip embedding (D) of normalised features (T, F), bypassing the front end. */
  public float[] embedFeatures(float[][] features) {
    return get(submit(features, false)).pooled();
  }

  /** Clip embeddings of many inputs (files), batched; order preserved. */
  public List<float[]> embedAll(List<float[][]> featuresList) {
    List<CompletableFuture<ModelRunner.Result>> futures = new ArrayList<>();
    for (float[][] f : featuresList) {
      futures.add(submit(f, false));
    }
    List<float[]> out = new ArrayList<>();
    for (CompletableFuture<ModelRunner.Result> f : futures) {
      out.add(get(f).pooled());
    }
    return out;
  }

  /** Per-patch embeddings of an audio file's first window (the model's input; see {@link #embedTimeSteps}). */
  public TokenEmbeddings embedTokens(Path audio) {
    return embedTokensOfFeatures(features(audio));
  }

  /** Per-patch embeddings of normalised features (T, F). */
  public TokenEmbeddings embedTokensOfFeatures(float[][] features) {
    return tokens(get(submit(features, true)));
  }

  private TokenEmbeddings tokens(ModelRunner.Result r) {
    ModelRunner.Grid grid = r.grid();
    double frameShift = spec().fbank().frameShiftMs() / 1000.0;
    return new TokenEmbeddings(r.tokens(), grid.timeSteps(), grid.freqBands(), grid.order(),
        grid.hopFrames() * frameShift);
  }

  /** Normalised, padded features of a file through the model's front end. */
  public float[][] features(Path audio) {
    return spec().frontEnd().process(audio);
  }

  /** Normalised, padded features of a waveform through the model's front end. */
  public float[][] features(Waveform waveform) {
    FrontEnd fe = spec().frontEnd();
    Waveform w = waveform.sampleRateHz() == fe.loader().targetSampleRateHz() ? waveform
        : dev.earshot.audio.Resampler.of(waveform.sampleRateHz(), fe.loader().targetSampleRateHz()).apply(waveform);
    return fe.process(w);
  }

  CompletableFuture<ModelRunner.Result> submit(float[][] features, boolean tokens) {
    return runner.submit(features, readout, tokens, false);
  }

  static ModelRunner.Result get(CompletableFuture<ModelRunner.Result> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EarshotException("interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new EarshotException("inference failed: " + e.getCause(), e.getCause());
    }
  }

  @Override
  public void close() {
    if (ownsRunner) {
      runner.close();
    }
  }
}
