package dev.earshot.infer;

import dev.earshot.tensor.Execution;
import dev.earshot.EarshotException;
import dev.earshot.audio.Waveform;
import dev.earshot.features.FrontEnd;
import dev.earshot.model.ModelDirectory;
import dev.earshot.model.PretrainedSpec;
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
 * features can be passed instead. The clip embedding is the model's pooling (mean of patches, CLS, or CLS +
 * distillation) of the chosen layer: -1 (default) is the final output (after the final norm where the model
 * has one), 0 the embedded input, k the output of block k. Safe for concurrent callers: requests are
 * batched internally. Close it to free native memory.
 */
public final class AudioEmbedder implements AutoCloseable {
  private final ModelRunner runner;
  private final int layer;

  private AudioEmbedder(ModelRunner runner, int layer) {
    this.runner = runner;
    this.layer = layer;
  }

  /** Final-layer embeddings, batches of up to 16. */
  public static AudioEmbedder open(Path modelDir) {
    return open(modelDir, -1, 16);
  }

  /** Embeddings of {@code layer} (-1 final, 0 input, k block k), batches of up to {@code maxBatch}. */
  public static AudioEmbedder open(Path modelDir, int layer, int maxBatch) {
    return open(modelDir, layer, maxBatch, Execution.CPU);
  }

  /** As {@link #open(Path, int, int)}, computing on {@code execution}'s device and precision. */
  public static AudioEmbedder open(Path modelDir, int layer, int maxBatch, Execution execution) {
    return new AudioEmbedder(new ModelRunner(modelDir, maxBatch, execution), layer);
  }

  /** The model's preprocessing. */
  public PretrainedSpec spec() {
    return runner.manifest().spec();
  }

  /** The model's manifest (architecture, configuration, preprocessing). */
  public ModelDirectory.Manifest manifest() {
    return runner.manifest();
  }

  /** Width D of the embeddings. */
  public int dimension() {
    return runner.model().embedDim();
  }

  /** Clip embedding (D) of an audio file. */
  public float[] embed(Path audio) {
    return get(submit(features(audio), false)).pooled();
  }

  /** Clip embedding (D) of a waveform at any rate (resampled as the spec says). */
  public float[] embed(Waveform waveform) {
    return get(submit(features(waveform), false)).pooled();
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

  /** Per-patch embeddings of an audio file. */
  public TokenEmbeddings embedTokens(Path audio) {
    return embedTokensOfFeatures(features(audio));
  }

  /** Per-patch embeddings of normalised features (T, F). */
  public TokenEmbeddings embedTokensOfFeatures(float[][] features) {
    ModelRunner.Result r = get(submit(features, true));
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
    return runner.submit(features, layer, tokens, false);
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
    runner.close();
  }
}
