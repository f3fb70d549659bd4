package dev.earshot.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import dev.earshot.data.Batch;
import dev.earshot.model.AudioTransformer;
import dev.earshot.nn.Module;
import dev.earshot.train.Objective;
import dev.earshot.train.StepOutput;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Supervised training of an {@link AudioTransformer} with a classifier head: soft-target cross-entropy for
 * single-label tasks (one-hot, label-smoothed or mixed targets) or binary cross-entropy with logits for
 * multi-label tasks. For linear probing the encoder is frozen and kept in evaluation mode; only the head
 * learns.
 */
public final class ClassificationObjective implements Objective {
  private final AudioTransformer model;
  private final boolean multiLabel;
  private final double labelSmoothing;
  private final boolean linearProbe;
  private final long seed;

  public ClassificationObjective(AudioTransformer model, boolean multiLabel, double labelSmoothing, boolean linearProbe,
      long seed) {
    this.model = model;
    this.multiLabel = multiLabel;
    this.labelSmoothing = labelSmoothing;
    this.linearProbe = linearProbe;
    this.seed = seed;
    if (linearProbe) {
      model.namedParameters().forEach((k, p) -> p.setTrainable(k.startsWith("head.")));
    }
  }

  public AudioTransformer model() {
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
  public StepOutput forward(Batch batch, NDManager step, long stepIndex) {
    model.randomSource().reseed(seed * 0x9E3779B97F4A7C15L + stepIndex);
    int b = batch.size();
    int frames = batch.features()[0].length;
    int bins = batch.features()[0][0].length;
    int classes = batch.targets()[0].length;
    NDArray x = dev.earshot.nn.Tensors.of(step, batch.flatFeatures(), new Shape(b, frames, bins));
    NDArray y = dev.earshot.nn.Tensors.of(step, batch.flatTargets(), new Shape(b, classes));
    NDArray logits = model.forward(x);
    NDArray loss;
    if (multiLabel) {
      // relu(z) - z y + log(1 + exp(-|z|)), averaged over examples and classes
      loss = Activation.relu(logits).sub(logits.mul(y)).add(logits.abs().neg().exp().add(1f).log()).mean();
    } else {
      NDArray target = labelSmoothing > 0 ? y.mul((float) (1 - labelSmoothing)).add((float) (labelSmoothing / classes)) : y;
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
}
