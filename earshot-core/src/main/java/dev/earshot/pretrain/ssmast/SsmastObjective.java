package dev.earshot.pretrain.ssmast;

import dev.earshot.tensor.Tensor;
import dev.earshot.tensor.TensorScope;
import dev.earshot.tensor.Shape;
import dev.earshot.data.Batch;
import dev.earshot.nn.Module;
import dev.earshot.train.EmaTeacher;
import dev.earshot.train.Objective;
import dev.earshot.train.StepOutput;
import dev.earshot.train.WorkerGroup;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * SS-MAST pretraining as LAPE's {@code upstream/ssmast} computes it (MoCo-v2, symmetric): for the views
 * (v1, v2) of each clip, two contrastive calls — (q from v1, k from v2) then (q from v2, k from v1) — each of
 * which first moves the teacher towards the student by EMA, computes
 * logits = [q . k, q . queue] / T with the positive at index 0, takes the cross-entropy, and enqueues its keys.
 * The loss is the sum of the two calls' means. See {@link SsmastConfig} for how views and patch-drop are defined.
 */
public final class SsmastObjective implements Objective {
  private WorkerGroup workers = WorkerGroup.ALONE;
  private final SsmastNetwork student;
  private final EmaTeacher teacher;
  private final MocoQueue queue;
  private final SsmastConfig config;
  private final long seed;

  public SsmastObjective(SsmastNetwork student, SsmastNetwork teacherModel, SsmastConfig config, long seed) {
    this.student = student;
    this.teacher = new EmaTeacher(teacherModel, student);
    this.queue = new MocoQueue(student.manager(), config.projectionDim(), config.queueSize(), seed ^ 0xC0FFEEL);
    this.config = config;
    this.seed = seed;
  }

  public SsmastNetwork student() {
    return student;
  }

  public SsmastNetwork teacherModel() {
    return (SsmastNetwork) teacher.teacher();
  }

  public MocoQueue queue() {
    return queue;
  }

  @Override
  public Map<String, Module> trainable() {
    return Map.of("student", student);
  }

  @Override
  public Map<String, Module> frozen() {
    Map<String, Module> m = new LinkedHashMap<>();
    m.put("teacher", teacher.teacher());
    m.put("queue", queue);
    return m;
  }

  @Override
  public void setTraining(boolean training) {
    student.setTraining(training);
    teacher.teacher().setTraining(false);
  }

  @Override
  public void join(WorkerGroup workers) {
    this.workers = workers;
  }

  @Override
  public StepOutput forward(Batch batch, TensorScope step, long stepIndex) {
    // seeded by the batch index (step x accumulation + micro-batch): every micro-batch draws its own
    SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + batch.step());
    student.encoder().randomSource().reseed(rng.nextLong(), batch.offset());
    long clipSeed = rng.nextLong();
    float[][][] clips = batch.features();
    int b = clips.length;
    int crop = config.cropFrames();
    int f = clips[0][0].length;
    int tokens = config.patchDrop() > 0
        ? student.encoder().config().freqPatches() * student.encoder().config().timePatches(crop) : 0;
    float[][] views = new float[2][b * crop * f];
    float[][] keep = new float[2][];
    if (tokens > 0) {
      keep[0] = new float[b * tokens];
      keep[1] = new float[b * tokens];
    }
    for (int i = 0; i < b; i++) { // every clip's crops and dropped patches from its own generator
      SplittableRandom clipRng = batch.exampleRandom(clipSeed, 1, i);
      float[][] clip = clips[i];
      for (int v = 0; v < 2; v++) {
        int start = clip.length > crop ? clipRng.nextInt(clip.length - crop + 1) : 0;
        for (int t = 0; t < crop; t++) {
          if (start + t < clip.length) {
            System.arraycopy(clip[start + t], 0, views[v], (i * crop + t) * f, f);
          }
        }
      }
      for (int v = 0; v < 2 && tokens > 0; v++) {
        for (int k = 0; k < tokens; k++) {
          keep[v][i * tokens + k] = clipRng.nextDouble() < config.patchDrop() ? 0f : 1f;
        }
      }
    }
    Shape shape = new Shape(b, crop, f);
    Tensor v1 = step.create(views[0], shape);
    Tensor v2 = step.create(views[1], shape);
    Tensor keep1 = keep[0] == null ? null : step.create(keep[0], new Shape(b, tokens));
    Tensor keep2 = keep[1] == null ? null : step.create(keep[1], new Shape(b, tokens));
    Call first = contrast(v1, keep1, v2);
    Call second = contrast(v2, keep2, v1);
    Tensor loss = first.loss().add(second.loss());
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("loss", (double) loss.getFloat());
    metrics.put("accuracy", (first.accuracy() + second.accuracy()) / 2);
    return new StepOutput(loss, metrics);
  }

  private record Call(Tensor loss, double accuracy) {}

  /** One MoCo call: EMA update, queries from {@code queryViews} (patch-dropped), keys from {@code keyViews}. */
  private Call contrast(Tensor queryViews, Tensor keep, Tensor keyViews) {
    teacher.update(config.momentum());
    Tensor q = student.project(queryViews, keep); // (B, C)
    Tensor k = teacherModel().project(keyViews, null).stopGradient(); // (B, C)
    // a copy, as MoCo's queue.clone().detach(): the enqueue below changes the queue in place, and backward
    // needs the negatives this call used
    Tensor negatives = queue.keys().duplicate();
    negatives.attach(q.scope());
    Tensor loss = infoNce(q, k, negatives, config.temperature());
    double accuracy = positiveRank(q, k, negatives);
    queue.enqueue(workers.gather(k)); // every worker's keys, in rank order (MoCo's concat_all_gather)
    return new Call(loss, accuracy);
  }

  /**
   * Mean over the batch of -log softmax([q . k, q . queue] / T)[0]: q (B, C) queries, k (B, C) their positive
   * keys, queue (C, K) negatives.
   */
  public static Tensor infoNce(Tensor q, Tensor k, Tensor queue, double temperature) {
    Tensor positive = q.mul(k).sum(new int[] {1}, true); // (B, 1)
    Tensor negative = q.matMul(queue); // (B, K)
    Tensor logits = (Tensor.concat(java.util.List.of(positive, negative), 1)).div((float) temperature);
    return logits.logSoftmax(1).get(":, 0").mean().neg();
  }

  /** Share of queries whose positive scores above every negative. */
  private static double positiveRank(Tensor q, Tensor k, Tensor queue) {
    float[] pos = q.mul(k).sum(new int[] {1}).toFloatArray();
    float[] neg = q.matMul(queue).max(new int[] {1}).toFloatArray();
    int hits = 0;
    for (int i = 0; i < pos.length; i++) {
      hits += pos[i] > neg[i] ? 1 : 0;
    }
    return (double) hits / pos.length;
  }
}
