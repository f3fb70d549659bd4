package dev.earshot.eval;

import dev.earshot.tensor.Tensor;
import dev.earshot.tensor.TensorScope;
import dev.earshot.tensor.Shape;
import dev.earshot.data.Batch;
import dev.earshot.features.BetaSampler;
import dev.earshot.features.Mixup;
import dev.earshot.model.Encoder;
import dev.earshot.nn.Module;
import dev.earshot.train.Objective;
import dev.earshot.train.StepOutput;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Supervised training of an {@link AudioTransformer} with a classifier head: soft-target cross-entropy for
 * single-label tasks (one-hot, label-smoothed or mixed targets) or binary cross-entropy with logits for
 * multi-label tasks. For linear probing the encoder is frozen and kept in evaluation mode; only the head
 * learns.
 */
public final class ClassificationObjective implements Objective {
  private final Encoder model;
  private final boolean multiLabel;
  private final double labelSmoothing;
  private final boolean linearProbe;
  private final long seed;
  private final double mixupAlpha;
  private final double mixupProb;

  public ClassificationObjective(Encoder model, boolean multiLabel, double labelSmoothing, boolean linearProbe,
      long seed) {
    this(model, multiLabel, labelSmoothing, linearProbe, seed, 0, 0);
  }

  /**
   * @param mixupAlpha EAT's spectrogram mix-up: lambda ~ Beta(alpha, alpha) mixes the batch with its reverse
   *     (features and targets; label smoothing is then not applied), 0 = off
   * @param mixupProb probability that a batch is mixed
   */
  public ClassificationObjective(Encoder model, boolean multiLabel, double labelSmoothing, boolean linearProbe,
      long seed, double mixupAlpha, double mixupProb) {
    this.mixupAlpha = mixupAlpha;
    this.mixupProb = mixupProb;
    this.model = model;
    this.multiLabel = multiLabel;
    this.labelSmoothing = labelSmoothing;
    this.linearProbe = linearProbe;
    this.seed = seed;
    if (linearProbe) {
      model.namedParameters().forEach((k, p) -> p.setTrainable(k.startsWith("head.")));
    }
  }

  public Encoder model() {
    return model;
  }

  @Override
  public Map<String, Module> trainable() {
    return Map.of("model", model);
  }

  @Override
  public void setTraining(boolean training) {
    model.setTraining(training && !linearProbe);
  }

  @Override
  public StepOutput forward(Batch batch, TensorScope step, long stepIndex) {
    model.randomSource().reseed(seed * 0x9E3779B97F4A7C15L + stepIndex, batch.offset());
    int b = batch.size();
    int frames = batch.features()[0].length;
    int bins = batch.features()[0][0].length;
    int classes = batch.targets()[0].length;
    boolean mixed = false;
    if (mixupAlpha > 0) {
      SplittableRandom rng = new SplittableRandom((seed + 0x51ED27L) * 0x9E3779B97F4A7C15L + stepIndex);
      if (rng.nextDouble() < mixupProb) {
        batch = mixed(batch, BetaSampler.sample(mixupAlpha, mixupAlpha, rng));
        mixed = true;
      }
    }
    Tensor x = step.create(batch.flatFeatures(), new Shape(b, frames, bins));
    Tensor y = step.create(batch.flatTargets(), new Shape(b, classes));
    Tensor logits = model.forward(x);
    Tensor loss;
    if (multiLabel) {
      // relu(z) - z y + log(1 + exp(-|z|)), averaged over examples and classes
      loss = logits.relu().sub(logits.mul(y)).add(logits.abs().neg().exp().add(1f).log()).mean();
    } else {
      Tensor target = labelSmoothing > 0 && !mixed ? y.mul((float) (1 - labelSmoothing)).add((float) (labelSmoothing / classes)) : y;
      loss = logits.logSoftmax(1).mul(target).sum(new int[] {1}).neg().mean();
    }
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("loss", (double) loss.getFloat());
    if (!multiLabel) {
      float[] l = logits.toFloatArray();
      float[] t = batch.flatTargets();
      int correct = 0;
      for (int i = 0; i < b; i++) {
        int pi = 0;
        int ti = 0;
        for (int c = 1; c < classes; c++) {
          if (l[i * classes + c] > l[i * classes + pi]) {
            pi = c;
          }
          if (t[i * classes + c] > t[i * classes + ti]) {
            ti = c;
          }
        }
        correct += pi == ti ? 1 : 0;
      }
      metrics.put("train_acc", (double) correct / b);
    }
    return new StepOutput(loss, metrics);
  }

  /** The batch mixed with its reverse: x_i = lambda x_i + (1 - lambda) x_(B-1-i), targets alike. */
  static Batch mixed(Batch batch, double lambda) {
    int b = batch.size();
    float[][][] x = new float[b][][];
    float[][] y = new float[b][];
    for (int i = 0; i < b; i++) {
      x[i] = new float[batch.features()[i].length][];
      for (int t = 0; t < x[i].length; t++) {
        x[i][t] = batch.features()[i][t].clone();
      }
    }
    Mixup.mixBatch(x, lambda);
    for (int i = 0; i < b; i++) {
      y[i] = Mixup.mixLabels(batch.targets()[i], batch.targets()[b - 1 - i], lambda);
    }
    return new Batch(x, y, batch.clips(), batch.step(), batch.offset(), batch.globalSize());
  }
}
