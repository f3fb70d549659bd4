package dev.earshot.pretrain.asit;

import dev.earshot.tensor.Tensor;
import dev.earshot.tensor.TensorScope;
import dev.earshot.tensor.Index;
import dev.earshot.tensor.Shape;
import dev.earshot.data.Batch;
import dev.earshot.nn.Module;
import dev.earshot.pretrain.GroupMasking;
import dev.earshot.train.CosineSchedule;
import dev.earshot.train.EmaTeacher;
import dev.earshot.train.Objective;
import dev.earshot.train.StepOutput;
import dev.earshot.train.WorkerGroup;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * ASiT pretraining (methods.md §4.5). Each clip gives two random crops (after an optional circular roll);
 * the teacher sees the clean crops, the student the GMML-corrupted ones. Losses:
 * <ul>
 *   <li>global: DINO cross-entropy between the teacher's centred, sharpened CLS distribution of one crop and
 *       the student's of the other crop, both directions averaged;
 *   <li>local: the same between teacher and student patch distributions at the same crop and position, over
 *       every patch of both crops;
 *   <li>reconstruction: L1 between the student's reconstruction and the clean crop on corrupted cells;
 * </ul>
 * loss = global + local + {@code reconstructionWeight} x reconstruction. The centres move by EMA towards the
 * batch mean of the teacher's logits after each loss; the teacher follows the student by EMA with a momentum
 * rising from {@code momentumStart} to 1 along a cosine; weight decay rises along a cosine to
 * {@code weightDecayEnd}.
 *
 * <p>Crops are rows of the batch: crop 0 of every clip, then crop 1 of every clip (the official order).
 */
public final class AsitObjective implements Objective {
  private final AsitPipeline student;
  private final EmaTeacher teacher;
  private final AsitCentres centres;
  private WorkerGroup workers = WorkerGroup.ALONE;
  private final AsitConfig config;
  private final CosineSchedule momentum;
  private final CosineSchedule weightDecay;
  private final long seed;

  /** Two crops per clip: clean, corrupted and masks, each indexed [crop][clip][frame][bin]. */
  public record Views(float[][][][] clean, float[][][][] corrupted, float[][][][] masks) {}

  /**
   * @param totalSteps updates of the run (the momentum and weight-decay cosines span them)
   * @param weightDecayStart the optimizer's weight decay at the start (the cosine's base)
   */
  public AsitObjective(AsitPipeline student, AsitPipeline teacherModel, AsitConfig config, long totalSteps,
      double weightDecayStart, long seed) {
    this.student = student;
    this.teacher = new EmaTeacher(teacherModel, student);
    this.centres = new AsitCentres(student.manager(), config.outDimCls(), config.outDimData());
    this.config = config;
    this.momentum = new CosineSchedule(config.momentumStart(), 1, totalSteps);
    this.weightDecay = new CosineSchedule(weightDecayStart, config.weightDecayEnd(), totalSteps);
    this.seed = seed;
  }

  public AsitPipeline student() {
    return student;
  }

  public AsitPipeline teacherModel() {
    return (AsitPipeline) teacher.teacher();
  }

  @Override
  public void join(WorkerGroup workers) {
    this.workers = workers;
  }

  public AsitCentres centres() {
    return centres;
  }

  @Override
  public Map<String, Module> trainable() {
    return Map.of("student", student);
  }

  @Override
  public Map<String, Module> frozen() {
    Map<String, Module> m = new LinkedHashMap<>();
    m.put("teacher", teacher.teacher());
    m.put("centres", centres);
    return m;
  }

  @Override
  public void setTraining(boolean training) {
    student.setTraining(training);
    teacher.teacher().setTraining(false);
  }

  @Override
  public double weightDecayScale(long stepIndex) {
    double base = weightDecay.base();
    return base == 0 ? 1 : weightDecay.value(stepIndex) / base;
  }

  @Override
  public void afterUpdate(long stepIndex) {
    teacher.update(momentum.value(stepIndex));
  }

  @Override
  public StepOutput forward(Batch batch, TensorScope step, long stepIndex) {
    // seeded by the batch index (step x accumulation + micro-batch): every micro-batch draws its own
    SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + batch.step());
    // the student sees both crops stacked crop-major: row r is crop r / B of local clip r % B
    int local = batch.size();
    int offset = batch.offset();
    int global = batch.globalSize();
    student.backbone().randomSource().reseed(rng.nextLong(), r -> (long) (r / local) * global + offset + r % local);
    long clipSeed = rng.nextLong();
    List<SplittableRandom> perClip = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      perClip.add(batch.exampleRandom(clipSeed, 1, i));
    }
    StepOutput out = forward(views(batch.features(), perClip), step, config.teacherTemperature(stepIndex));
    out.metrics().put("momentum", momentum.value(stepIndex));
    out.metrics().put("teacher_temp", config.teacherTemperature(stepIndex));
    return out;
  }

  /**
   * Two crops of every clip (with the optional roll), corrupted by {@link GroupMasking}; clip i draws from
   * {@code rngs.get(i)} only.
   */
  Views views(float[][][] clips, List<SplittableRandom> rngs) {
    int b = clips.length;
    int crop = config.cropFrames();
    float[][][][] clean = new float[2][b][][];
    for (int i = 0; i < b; i++) {
      float[][] clip = clips[i];
      SplittableRandom rng = rngs.get(i);
      int t = clip.length;
      int shift = rng.nextDouble() < config.rollProbability() ? rng.nextInt(t + 1) : 0;
      for (int k = 0; k < 2; k++) {
        int start = t > crop ? rng.nextInt(t - crop + 1) : 0;
        float[][] out = new float[crop][];
        for (int j = 0; j < crop; j++) {
          int src = start + j;
          out[j] = src < t ? clip[Math.floorMod(src - shift, t)].clone() : new float[clip[0].length];
        }
        clean[k][i] = out;
      }
    }
    float[][][][] corrupted = new float[2][][][];
    float[][][][] masks = new float[2][][][];
    for (int k = 0; k < 2; k++) {
      GroupMasking.Corrupted c = config.masking().corrupt(clean[k], rngs);
      corrupted[k] = c.crops();
      masks[k] = c.masks();
    }
    return new Views(clean, corrupted, masks);
  }

  /** The loss for given views and teacher temperature (tests replay the official code's views). */
  public StepOutput forward(Views views, TensorScope step, double teacherTemperature) {
    int b = views.clean()[0].length;
    int t = views.clean()[0][0].length;
    int f = views.clean()[0][0][0].length;
    Shape shape = new Shape(2L * b, t, f);
    Tensor clean = step.create(flatten(views.clean()), shape);
    Tensor corrupted = step.create(flatten(views.corrupted()), shape);
    float[] maskValues = flatten(views.masks());
    Tensor mask = step.create(maskValues, shape);
    int width = student.backbone().config().grid().freqPatches();

    AsitPipeline tm = teacherModel();
    AsitClsHead.Logits teacherLogits = tm.headCls().forward(tm.backbone().features(clean));
    Tensor encoded = student.backbone().features(corrupted); // (2B, 1 + N, D)
    AsitClsHead.Logits studentLogits = student.headCls().forward(encoded);
    Tensor reconstruction = student.headRecons().forward(encoded.get(Index.of(":, 1:, :")), width);

    float studentScale = (float) (1 / config.studentTemperature());
    Tensor teacherGlobal = sharpen(teacherLogits.global(), centres.global(), teacherTemperature); // (2B, K)
    Tensor swapped = Tensor.concat(java.util.List.of(teacherGlobal.get(Index.of("{}:", b)),
        teacherGlobal.get(Index.of(":{}", b))), 0); // crop 1's targets for crop 0's predictions and back
    Tensor global = crossEntropy(swapped, studentLogits.global().mul(studentScale));
    Tensor teacherLocal = sharpen(teacherLogits.local(), centres.local(), teacherTemperature);
    Tensor local = crossEntropy(teacherLocal, studentLogits.local().mul(studentScale));
    double maskedCells = 0;
    for (float v : maskValues) {
      maskedCells += v;
    }
    Tensor rec = reconstruction.sub(clean).abs().mul(mask).sum().div((float) Math.max(1, maskedCells));
    Tensor loss = global.add(local).add(rec.mul((float) config.reconstructionWeight()));

    centres.update(teacherLogits.global(), teacherLogits.local(), config.centerMomentum(), workers);
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("loss", (double) loss.getFloat());
    metrics.put("global", (double) global.getFloat());
    metrics.put("local", (double) local.getFloat());
    metrics.put("rec", (double) rec.getFloat());
    return new StepOutput(loss, metrics);
  }

  /** softmax((logits - centre) / temperature), no gradient needed (teacher side). */
  private static Tensor sharpen(Tensor logits, Tensor centre, double temperature) {
    return logits.sub(centre).div((float) temperature).softmax(-1);
  }

  /** Mean over rows of sum(-p log softmax(z)). */
  private static Tensor crossEntropy(Tensor targets, Tensor logits) {
    return logits.logSoftmax(-1).mul(targets).sum(new int[] {-1}).mean().neg();
  }

  private static float[] flatten(float[][][][] crops) {
    int b = crops[0].length;
    int t = crops[0][0].length;
    int f = crops[0][0][0].length;
    float[] out = new float[2 * b * t * f];
    int k = 0;
    for (float[][][] crop : crops) {
      for (float[][] clip : crop) {
        for (float[] row : clip) {
          System.arraycopy(row, 0, out, k, f);
          k += f;
        }
      }
    }
    return out;
  }
}
