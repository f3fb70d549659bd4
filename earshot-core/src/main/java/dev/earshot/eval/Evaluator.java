package dev.earshot.eval;

import dev.earshot.tensor.Autocast;
import dev.earshot.tensor.Execution;
import dev.earshot.tensor.Tensor;
import dev.earshot.tensor.TensorScope;
import dev.earshot.tensor.Shape;
import dev.earshot.audio.AudioInputException;
import dev.earshot.data.Clip;
import dev.earshot.data.Dataset;
import dev.earshot.data.FeatureSource;
import dev.earshot.model.Encoder;
import dev.earshot.tensor.Engine;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/**
 * Runs a classifier over a dataset without augmentation and collects logits; clips that cannot be prepared (for
 * any reason) are skipped and listed with the reason, and the others are still evaluated.
 */
public final class Evaluator {
  private Evaluator() {}

  public static Predictions predict(Encoder model, Dataset data, FeatureSource source, int batchSize,
      IntConsumer progress) {
    return predict(model, data, source, batchSize, progress, Execution.CPU);
  }

  /** Predictions on {@code data}, the forward passes in {@code execution}'s precision on the model's device. */
  public static Predictions predict(Encoder model, Dataset data, FeatureSource source, int batchSize,
      IntConsumer progress, Execution execution) {
    Engine.disableGradientsForThisThread();
    model.setTraining(false);
    List<float[][]> logits = new ArrayList<>();
    List<float[]> targets = new ArrayList<>();
    List<Clip> clips = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try (TensorScope base = model.manager().newSubScope()) {
      List<Future<float[][]>> features = new ArrayList<>();
      for (Clip c : data.clips()) {
        features.add(pool.submit(() -> source.features(c)));
      }
      List<float[][]> pending = new ArrayList<>();
      List<Clip> pendingClips = new ArrayList<>();
      for (int i = 0; i < data.size(); i++) {
        try {
          pending.add(features.get(i).get());
          pendingClips.add(data.clips().get(i));
        } catch (java.util.concurrent.ExecutionException e) {
          skipped.add(reason(data.clips().get(i), e.getCause()));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
        if (pending.size() == batchSize || (i == data.size() - 1 && !pending.isEmpty())) {
          logits.add(run(model, base, pending, execution));
          for (Clip c : pendingClips) {
            targets.add(data.target(c));
          }
          clips.addAll(pendingClips);
          pending.clear();
          pendingClips.clear();
        }
        progress.accept(i + 1);
      }
    } finally {
      pool.shutdownNow();
    }
    List<float[]> rows = new ArrayList<>();
    logits.forEach(b -> rows.addAll(List.of(b)));
    return new Predictions(rows.toArray(new float[0][]), targets.toArray(new float[0][]), clips, skipped);
  }

  /** "file: reason" for a clip that could not be prepared. */
  static String reason(Clip clip, Throwable e) {
    if (e instanceof AudioInputException a && a.file() != null) {
      return a.getMessage();
    }
    if (e instanceof dev.earshot.EarshotException) {
      return clip.file() + ": " + e.getMessage();
    }
    return clip.file() + ": " + (e instanceof OutOfMemoryError ? "ran out of memory while loading"
        : "failed to load (" + e + ")");
  }

  private static float[][] run(Encoder model, TensorScope base, List<float[][]> batch, Execution execution) {
    int b = batch.size();
    int t = batch.get(0).length;
    int f = batch.get(0)[0].length;
    float[] flat = new float[b * t * f];
    for (int i = 0; i < b; i++) {
      for (int j = 0; j < t; j++) {
        System.arraycopy(batch.get(i)[j], 0, flat, (i * t + j) * f, f);
      }
    }
    try (TensorScope step = base.newSubScope()) {
      Tensor out;
      try (Autocast precision = execution.autocast()) {
        out = model.forward(step.create(flat, new Shape(b, t, f)));
      }
      float[] l = out.toFloatArray();
      int c = (int) out.getShape().get(1);
      float[][] rows = new float[b][c];
      for (int i = 0; i < b; i++) {
        System.arraycopy(l, i * c, rows[i], 0, c);
      }
      return rows;
    }
  }
}
