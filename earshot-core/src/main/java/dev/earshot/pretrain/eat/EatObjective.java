package dev.earshot.pretrain.eat;

import dev.earshot.tensor.Tensor;
import dev.earshot.tensor.TensorScope;
import dev.earshot.tensor.Index;
import dev.earshot.tensor.DType;
import dev.earshot.tensor.Shape;
import dev.earshot.data.Batch;
import dev.earshot.model.AudioTransformer;
import dev.earshot.model.PatchGrid;
import dev.earshot.nn.LayerNorm;
import dev.earshot.nn.Module;
import dev.earshot.nn.TransformerBlock;
import dev.earshot.pretrain.Mask;
import dev.earshot.train.EmaTeacher;
import dev.earshot.train.Objective;
import dev.earshot.train.StepOutput;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * EAT pretraining (methods.md §3.5): a student encoder sees only the visible patches of K inverse-block-
 * masked copies of each clip; the {@link EatDecoder} fills the grid back in (noise tokens at the masked
 * positions) and predicts, at every masked position, the EMA teacher's target: the teacher's per-block MLP
 * outputs for the full clip, each instance-normalised over the patches, averaged over blocks and
 * layer-normalised. The student's CLS output regresses the mean target (the utterance term). The teacher
 * follows the student by EMA after every update ({@link #afterUpdate}).
 *
 * <p>Clone rows are ordered clip-major (clip b, clone k at row b K + k), as {@code repeat_interleave} does.
 */
public final class EatObjective implements Objective {
  private final AudioTransformer student;
  private final EatDecoder decoder;
  private final EmaTeacher teacher;
  private final EatConfig config;
  private final LayerNorm targetNorm; // F.layer_norm over channels, no affine, eps 1e-5
  private final long seed;

  /**
   * @param student the encoder being trained (post-LN EAT layout, one CLS token, no final norm)
   * @param teacherModel a model of the same architecture; it is frozen and set to the student's weights
   */
  public EatObjective(AudioTransformer student, AudioTransformer teacherModel, EatDecoder decoder, EatConfig config,
      long seed) {
    if (student.specialTokens() != 1) {
      throw new IllegalArgumentException("EAT needs exactly one CLS token, the model has " + student.specialTokens());
    }
    if (config.averageTopLayers() > student.config().depth()) {
      throw new dev.earshot.ConfigException("eat.averageTopLayers: " + config.averageTopLayers() + " is more than the "
          + student.config().depth() + " blocks of the model");
    }
    this.student = student;
    this.decoder = decoder;
    this.teacher = new EmaTeacher(teacherModel, student);
    this.config = config;
    this.targetNorm = new LayerNorm(student.manager(), student.config().embedDim(), 1e-5, false);
    this.seed = seed;
  }

  public AudioTransformer student() {
    return student;
  }

  public AudioTransformer teacherModel() {
    return (AudioTransformer) teacher.teacher();
  }

  @Override
  public Map<String, Module> trainable() {
    Map<String, Module> m = new LinkedHashMap<>();
    m.put("encoder", student);
    m.put("decoder", decoder);
    return m;
  }

  @Override
  public Map<String, Module> frozen() {
    return Map.of("teacher", teacher.teacher());
  }

  @Override
  public StepOutput forward(Batch batch, TensorScope step, long stepIndex) {
    int b = batch.size();
    int frames = batch.features()[0].length;
    // seeded by the batch index (step x accumulation + micro-batch): every micro-batch draws its own
    SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + batch.step());
    // the student runs on clone rows (clip-major): this worker's rows of the global batch start at offset x K;
    // every clip's K masks and its noise come from the clip's own generator
    int k = config.clones();
    student.randomSource().reseed(rng.nextLong(), batch.offset() * k);
    long clipSeed = rng.nextLong();
    List<Mask> perClip = new ArrayList<>();
    List<Tensor> noiseParts = new ArrayList<>();
    for (int i = 0; i < b; i++) {
      SplittableRandom clip = batch.exampleRandom(clipSeed, 1, i);
      Mask m = config.masking().sample(student.config().grid(), frames, k, clip);
      perClip.add(m);
      if (config.maskNoiseStd() > 0) {
        noiseParts.add(step.randomNormal(new Shape(k, m.count(), student.config().embedDim()), 0,
            (float) config.maskNoiseStd(), clip.nextLong()));
      }
    }
    Mask masks = Mask.stack(perClip);
    Tensor noise = noiseParts.isEmpty() ? null : Tensor.concat(noiseParts, 0);
    StepOutput out = forward(batch, step, masks, noise);
    out.metrics().put("ema_decay", config.ema().decay(stepIndex + 1));
    return out;
  }

  /**
   * The loss for given clone masks and decoder noise (used by tests that replay the official code's masks and
   * noise).
   *
   * @param masks (B K, M) masked token indices, clone rows clip-major
   * @param noise (B K, M, D) tokens placed at the masked positions before decoding, or null for zeros
   */
  public StepOutput forward(Batch batch, TensorScope step, Mask masks, Tensor noise) {
    float[][][] feats = batch.features();
    int b = feats.length;
    int frames = feats[0].length;
    int k = config.clones();
    int rows = b * k;
    if (masks.indices().length != rows) {
      throw new IllegalArgumentException(masks.indices().length + " masks for " + b + " clips x " + k + " clones");
    }
    PatchGrid grid = student.config().grid();
    int height = grid.timePatches(frames);
    int width = grid.freqPatches();
    int n = height * width;
    int m = masks.count();
    int keep = n - m;
    long d = student.config().embedDim();
    Tensor x = step.create(batch.flatFeatures(), new Shape(b, frames, feats[0][0].length));
    CloneIndex index = new CloneIndex(masks, k, n);

    // student: positions, K clones, visible tokens only, CLS, context norm, blocks
    Tensor tokens = student.addPatchPositions(student.patchTokens(x), frames); // (B, N, D)
    Tensor visible = gatherRows(tokens.reshape(1, (long) b * n, d), index.visibleRows(), step)
        .reshape(rows, keep, d); // (B K, keep, D)
    Tensor encoded = student.encode(student.prependSpecialTokens(visible), null); // (B K, 1 + keep, D)
    Tensor cls = encoded.get(Index.of(":, 0, :")); // (B K, D)
    Tensor noiseTokens = noise != null ? noise : step.zeros(new Shape(rows, m, d));
    Tensor sequence = Tensor.concat(java.util.List.of(encoded.get(Index.of(":, 1:, :")), noiseTokens), 1);
    Tensor restored = gatherRows(sequence.reshape(1, (long) rows * n, d), index.restoreRows(), step)
        .reshape(rows, n, d); // (B K, N, D) back on the grid
    Tensor predicted = gatherRows(decoder.forward(restored, height, width).reshape(1, (long) rows * n, d),
        index.maskedRows(), step).reshape(rows, m, d); // (B K, M, D)

    // teacher: full clip, targets from every block's MLP output
    Targets targets = teacherTargets(x, frames); // (B, N, D), (B, D)
    Tensor y = gatherRows(targets.frames().reshape(1, (long) b * n, d), index.targetRows(), step)
        .reshape(rows, m, d);
    Tensor u = gatherRows(targets.utterance().reshape(1, b, d), index.cloneClips(), step).reshape(rows, d);

    float scale = (float) (1 / Math.sqrt(d));
    Tensor frameLoss = predicted.sub(y).square().sum(new int[] {2}).mean().mul(scale);
    Tensor utteranceErrors = cls.sub(u).square().sum(new int[] {1}); // (B K)
    Tensor utterance = config.utteranceReduction() == EatConfig.UtteranceReduction.SUM_OVER_CLONES
        ? utteranceErrors.sum() : utteranceErrors.mean();
    Tensor utteranceLoss = utterance.mul(scale);
    Tensor loss = frameLoss.add(utteranceLoss.mul((float) config.utteranceWeight()));
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("loss", (double) loss.getFloat());
    metrics.put("frame", (double) frameLoss.getFloat());
    metrics.put("utterance", (double) utteranceLoss.getFloat());
    metrics.put("target_std", meanStd(y.reshape(-1, d)));
    metrics.put("pred_std", meanStd(predicted.reshape(-1, d)));
    // across clips: how much the utterance targets (means of instance-normalised frame targets) and the CLS
    // outputs vary — the CLS can only carry as much about a clip as its target does
    metrics.put("utterance_target_std", meanStd(targets.utterance()));
    metrics.put("cls_std", meanStd(cls));
    return new StepOutput(loss, metrics);
  }

  /** The teacher's frame targets (B, N, D) and utterance targets (B, D) for a (B, T, F) input. */
  public Targets teacherTargets(Tensor x, int frames) {
    AudioTransformer t = teacherModel();
    Tensor h = t.inputNorm(t.prependSpecialTokens(t.addPatchPositions(t.patchTokens(x), frames)));
    List<Tensor> ffn = new ArrayList<>();
    for (TransformerBlock block : t.blocks()) {
      TransformerBlock.Output o = block.forwardWithFfn(h);
      h = o.hidden();
      ffn.add(o.ffn().get(Index.of(":, 1:, :")));
    }
    List<Tensor> top = ffn.subList(ffn.size() - config.averageTopLayers(), ffn.size());
    Tensor sum = null;
    for (Tensor layer : top) {
      Tensor normalised = instanceNorm(layer);
      sum = sum == null ? normalised : sum.add(normalised);
    }
    Tensor mean = sum.div(top.size());
    Tensor frameTargets = targetNorm.forward(mean);
    return new Targets(frameTargets, frameTargets.mean(new int[] {1}));
  }

  /** The teacher's targets: per patch (B, N, D) and per clip (B, D). */
  public record Targets(Tensor frames, Tensor utterance) {}

  @Override
  public void afterUpdate(long stepIndex) {
    teacher.update(config.ema().decay(stepIndex + 1));
  }

  @Override
  public void setTraining(boolean training) {
    student.setTraining(training);
    decoder.setTraining(training);
    teacher.teacher().setTraining(false);
  }

  /** F.instance_norm on (B, N, D) viewed as (B, D, N): per clip and channel over the N patches, eps 1e-5. */
  static Tensor instanceNorm(Tensor x) {
    Tensor mean = x.mean(new int[] {1}, true);
    Tensor centred = x.sub(mean);
    Tensor variance = centred.square().mean(new int[] {1}, true);
    return centred.div(variance.add(1e-5f).sqrt());
  }

  /** data2vec's compute_var: the mean over channels of sqrt(unbiased variance over rows + 1e-6), on the device. */
  private static double meanStd(Tensor rows) {
    long r = rows.getShape().get(0);
    if (r < 2) {
      return 0;
    }
    Tensor centred = rows.sub(rows.mean(new int[] {0}, true));
    Tensor variance = centred.square().sum(new int[] {0}).div(r - 1);
    return variance.add(1e-6f).sqrt().mean().getFloat();
  }

  /** Rows {@code rows} of a (1, R, D) array, as (1, len, D). */
  private static Tensor gatherRows(Tensor table, long[] rows, TensorScope step) {
    long d = table.getShape().get(2);
    Tensor index = step.create(rows, new Shape(1, rows.length, 1)).repeat(2, d);
    return table.gather(index, 1);
  }
}
