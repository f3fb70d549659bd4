package dev.earshot.infer;

import dev.earshot.tensor.Execution;
import dev.earshot.EarshotException;
import dev.earshot.audio.AudioStream;
import dev.earshot.features.WindowSpec;
import dev.earshot.model.OutputActivation;
import dev.earshot.model.PretrainedSpec;
import dev.earshot.model.Readout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Class scores from an earshot model directory with a classifier head.
 *
 * <pre>{@code
 * try (AudioClassifier classifier = AudioClassifier.open(Path.of("models/ast-audioset"))) {
 *   for (Prediction p : classifier.classify(Path.of("dog.wav"), 5)) {
 *     System.out.println(p.label() + " " + p.score());
 *   }
 * }
 * }</pre>
 *
 * <p>Scores are sigmoid probabilities for multi-label models and softmax probabilities for single-label
 * ones, as the model directory says. Safe for concurrent callers; requests are batched internally.
 */
public final class AudioClassifier implements AutoCloseable {
  private final ModelRunner runner;
  private final int maxInFlight;

  private AudioClassifier(ModelRunner runner, int maxBatch) {
    this.runner = runner;
    this.maxInFlight = 2 * Math.max(1, maxBatch);
    if (!runner.model().hasHead()) {
      runner.close();
      throw new EarshotException("this model has no classifier head; use AudioEmbedder, or fine-tune it first");
    }
  }

  public static AudioClassifier open(Path modelDir) {
    return open(modelDir, 16);
  }

  public static AudioClassifier open(Path modelDir, int maxBatch) {
    return open(modelDir, maxBatch, Execution.CPU);
  }

  /** A classifier computing on {@code execution}'s device and precision, batches of up to {@code maxBatch}. */
  public static AudioClassifier open(Path modelDir, int maxBatch, Execution execution) {
    return new AudioClassifier(new ModelRunner(modelDir, maxBatch, execution), maxBatch);
  }

  public PretrainedSpec spec() {
    return runner.manifest().spec();
  }

  /** Class names in output order. */
  public List<String> labels() {
    return spec().labels();
  }

  /**
   * The {@code topK} best classes of an audio file of any length, best first: the mean class probabilities
   * over {@link #defaultWindows()} (for a clip no longer than the model's input, its one window).
   */
  public List<Prediction> classify(Path audio, int topK) {
    return top(classifyWindows(audio, defaultWindows(), Aggregation.MEAN).aggregate(), topK);
  }

  /** {@link #classify(Path, int)} for a file held in memory, named {@code name} in errors. */
  public List<Prediction> classify(byte[] audio, String name, int topK) {
    return top(classifyWindows(audio, name, defaultWindows(), Aggregation.MEAN).aggregate(), topK);
  }

  /** Windows of the model's input length, each starting half a window after the previous one. */
  public WindowSpec defaultWindows() {
    return WindowSpec.forModel(spec().targetFrames());
  }

  /**
   * Class probabilities of every window of a clip of any length, with timestamps, and their aggregate. The
   * file is decoded and analysed as a stream: memory does not grow with its length.
   */
  public WindowedResult classifyWindows(Path audio, WindowSpec windows, Aggregation aggregation) {
    return WindowedInference.collect(spec().frontEnd(), WindowedInference.Input.of(audio), windows, maxInFlight,
        this::submit, r -> scores(r.logits()), aggregation);
  }

  /**
   * Raw logits of every window of a clip (the aggregate reduces logits, which only {@code MAX} keeps
   * meaningful across windows; {@link #scores(float[])} turns each window's logits into probabilities).
   */
  public WindowedResult logitsWindows(Path audio, WindowSpec windows, Aggregation aggregation) {
    return WindowedInference.collect(spec().frontEnd(), WindowedInference.Input.of(audio), windows, maxInFlight,
        this::submit, ModelRunner.Result::logits, aggregation);
  }

  /** {@link #classifyWindows(Path, WindowSpec, Aggregation)} for an open stream (the caller closes it). */
  public WindowedResult classifyWindows(AudioStream audio, WindowSpec windows, Aggregation aggregation) {
    return WindowedInference.collect(spec().frontEnd(), WindowedInference.Input.of(audio), windows, maxInFlight,
        this::submit, r -> scores(r.logits()), aggregation);
  }

  /**
   * An embedder over this classifier's loaded model (no second copy of the weights; requests of both are
   * batched together). It shares the classifier's lifetime: close the classifier, not the embedder.
   */
  public AudioEmbedder embedder() {
    return AudioEmbedder.sharing(runner, maxInFlight / 2);
  }

  /** {@link #classifyWindows(Path, WindowSpec, Aggregation)} for a file held in memory. */
  public WindowedResult classifyWindows(byte[] audio, String name, WindowSpec windows, Aggregation aggregation) {
    return WindowedInference.collect(spec().frontEnd(), WindowedInference.Input.of(audio, name), windows,
        maxInFlight, this::submit, r -> scores(r.logits()), aggregation);
  }

  /** The {@code topK} best classes of normalised features (T, F). */
  public List<Prediction> classifyFeatures(float[][] features, int topK) {
    return top(scores(logits(features)), topK);
  }

  /** Raw logits (classes) of normalised features (T, F). */
  public float[] logits(float[][] features) {
    return AudioEmbedder.get(submit(features)).logits();
  }

  /** Logits of many inputs, batched; order preserved. */
  public List<float[]> logitsAll(List<float[][]> featuresList) {
    List<CompletableFuture<ModelRunner.Result>> futures = new ArrayList<>();
    for (float[][] f : featuresList) {
      futures.add(submit(f));
    }
    List<float[]> out = new ArrayList<>();
    for (CompletableFuture<ModelRunner.Result> f : futures) {
      out.add(AudioEmbedder.get(f).logits());
    }
    return out;
  }

  /** Scores from logits by the model's activation. */
  public float[] scores(float[] logits) {
    float[] s = new float[logits.length];
    if (spec().activation() == OutputActivation.SIGMOID) {
      for (int i = 0; i < s.length; i++) {
        s[i] = (float) (1 / (1 + Math.exp(-logits[i])));
      }
      return s;
    }
    double max = Double.NEGATIVE_INFINITY;
    for (float l : logits) {
      max = Math.max(max, l);
    }
    double sum = 0;
    for (int i = 0; i < s.length; i++) {
      sum += Math.exp(logits[i] - max);
    }
    for (int i = 0; i < s.length; i++) {
      s[i] = (float) (Math.exp(logits[i] - max) / sum);
    }
    return s;
  }

  /** The {@code k} highest scores, best first. */
  public List<Prediction> top(float[] scores, int k) {
    List<Prediction> all = new ArrayList<>();
    List<String> labels = labels();
    for (int i = 0; i < scores.length; i++) {
      all.add(new Prediction(i, i < labels.size() ? labels.get(i) : "class " + i, scores[i]));
    }
    all.sort(Comparator.comparingDouble(Prediction::score).reversed().thenComparingInt(Prediction::index));
    return all.subList(0, Math.min(Math.max(k, 0), all.size()));
  }

  private CompletableFuture<ModelRunner.Result> submit(float[][] features) {
    return runner.submit(features, Readout.FINAL, false, true);
  }

  @Override
  public void close() {
    runner.close();
  }
}
