package dev.earshot.pretrain.ssast;

import dev.earshot.tensor.Tensor;
import dev.earshot.tensor.TensorScope;
import dev.earshot.tensor.DType;
import dev.earshot.tensor.Shape;
import dev.earshot.data.Batch;
import dev.earshot.model.AudioTransformer;
import dev.earshot.model.PatchGrid;
import dev.earshot.nn.Module;
import dev.earshot.pretrain.Mask;
import dev.earshot.pretrain.PatchTargets;
import dev.earshot.train.Objective;
import dev.earshot.train.StepOutput;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * SSAST's masked spectrogram patch modelling on an {@link AudioTransformer}.
 *
 * <p>Implementation notes. Each step runs the encoder twice with independent masks, as SSAST's
 * {@code pretrain_joint} does. In both passes the masked patch tokens are replaced by {@code mask_embed}
 * (after the patch projection, before positions), the full sequence is encoded, and the final-norm outputs at
 * the masked positions go to a head. Discriminative pass: C = cpred(h) (B, M, P), X = the raw masked
 * patches (B, M, P), S = X C^T per clip, L_nce = -mean over clips and j of log softmax(S)[j, j] along the
 * configured axis; accuracy = share of predictions k whose best-scoring target is k. Generative pass:
 * L_mse = mean((gpred(h) - X)^2). Loss = L_nce + w L_mse. Masks and drop-path draw from (seed, step).
 */
public final class SsastObjective implements Objective {
  private final AudioTransformer encoder;
  private final SsastHeads heads;
  private final SsastConfig config;
  private final long seed;

  public SsastObjective(AudioTransformer encoder, SsastHeads heads, SsastConfig config, long seed) {
    this.encoder = encoder;
    this.heads = heads;
    this.config = config;
    this.seed = seed;
  }

  public AudioTransformer encoder() {
    return encoder;
  }

  @Override
  public Map<String, Module> trainable() {
    Map<String, Module> m = new LinkedHashMap<>();
    m.put("encoder", encoder);
    m.put("ssast", heads);
    return m;
  }

  @Override
  public StepOutput forward(Batch batch, TensorScope step, long stepIndex) {
    int b = batch.size();
    int frames = batch.features()[0].length;
    // seeded by the batch index (step x accumulation + micro-batch): every micro-batch draws its own
    SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + batch.step());
    encoder.randomSource().reseed(rng.nextLong(), batch.offset());
    long maskSeed = rng.nextLong();
    PatchGrid grid = encoder.config().grid();
    // every clip's masks from its own generator, so they do not depend on how workers share the batch
    List<Mask> d = new ArrayList<>();
    List<Mask> g = new ArrayList<>();
    for (int i = 0; i < b; i++) {
      d.add(config.masking().sample(grid, frames, 1, batch.exampleRandom(maskSeed, 1, i)));
      g.add(config.masking().sample(grid, frames, 1, batch.exampleRandom(maskSeed, 2, i)));
    }
    Mask discriminative = config.discriminative() ? Mask.stack(d) : null;
    Mask generative = config.generative() ? Mask.stack(g) : null;
    return forward(batch, step, discriminative, generative);
  }

  /**
   * The loss with given masks (null skips that pass): the discriminative pass uses {@code discriminative},
   * the generative pass {@code generative}. Used by {@link #forward(Batch, TensorScope, long)} and by tests
   * that replay the official code's masks.
   */
  public StepOutput forward(Batch batch, TensorScope step, Mask discriminative, Mask generative) {
    float[][][] feats = batch.features();
    int b = feats.length;
    int frames = feats[0].length;
    int bins = feats[0][0].length;
    Tensor x = step.create(batch.flatFeatures(), new Shape(b, frames, bins));
    Map<String, Double> metrics = new LinkedHashMap<>();
    Tensor loss = null;
    PatchGrid grid = encoder.config().grid();
    int patch = grid.patchSize();
    if (discriminative != null) {
      int m = discriminative.count();
      Tensor predictions = heads.discriminative(maskedEncode(x, discriminative, step)); // (B, M, P)
      Tensor targets = step.create(PatchTargets.of(feats, discriminative, grid), new Shape(b, m, patch));
      Tensor scores = targets.matMul(predictions.transpose(0, 2, 1)); // (B, M targets, M predictions)
      int axis = config.infoNceAxis() == SsastConfig.InfoNceAxis.OVER_PREDICTIONS ? 2 : 1;
      Tensor logp = scores.logSoftmax(axis);
      long[] diagonal = new long[b * m];
      for (int e = 0; e < b; e++) {
        for (int k = 0; k < m; k++) {
          diagonal[e * m + k] = (long) k * m + k;
        }
      }
      Tensor trace = logp.reshape(b, (long) m * m)
          .gather(step.create(diagonal, new Shape(b, m)), 1).sum(); // sum over clips of the diagonals
      Tensor nce = trace.neg().div((float) b * m);
      metrics.put("nce", (double) nce.getFloat());
      metrics.put("mpc_acc", accuracy(scores.toFloatArray(), b, m));
      loss = nce;
    }
    if (generative != null) {
      int m = generative.count();
      Tensor reconstruction = heads.generative(maskedEncode(x, generative, step));
      Tensor targets = step.create(PatchTargets.of(feats, generative, grid), new Shape(b, m, patch));
      Tensor mse = reconstruction.sub(targets).square().mean();
      metrics.put("mse", (double) mse.getFloat());
      Tensor weighted = mse.mul((float) config.generativeWeight());
      loss = loss == null ? weighted : loss.add(weighted);
    }
    metrics.put("loss", (double) loss.getFloat());
    return new StepOutput(loss, metrics);
  }

  /** Encodes with the masked patches replaced by mask_embed; returns the outputs at the masked positions (B, M, D). */
  Tensor maskedEncode(Tensor x, Mask mask, TensorScope step) {
    int b = (int) x.getShape().get(0);
    int frames = (int) x.getShape().get(1);
    Tensor tokens = encoder.patchTokens(x); // (B, N, D)
    int n = (int) tokens.getShape().get(1);
    long d = tokens.getShape().get(2);
    Tensor masked = step.create(mask.dense(), new Shape(b, n, 1));
    Tensor kept = masked.neg().add(1f);
    tokens = tokens.mul(kept).add(masked.mul(heads.maskEmbed().array()));
    Tensor sequence = encoder.prependSpecialTokens(encoder.addPatchPositions(tokens, frames));
    Tensor out = encoder.encode(sequence, null); // (B, S + N, D)
    Tensor index = step.create(mask.flatIndices(), new Shape(b, mask.count())).add(encoder.specialTokens())
        .toType(DType.INT64, false);
    return out.gather(index.expandDims(-1).repeat(2, d), 1);
  }

  /** SSAST's logged accuracy: for each prediction k, does the row softmax of S score target k highest? */
  static double accuracy(float[] scores, int b, int m) {
    int correct = 0;
    double[] softmax = new double[m * m];
    for (int e = 0; e < b; e++) {
      int base = e * m * m;
      for (int j = 0; j < m; j++) {
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < m; k++) {
          max = Math.max(max, scores[base + j * m + k]);
        }
        double sum = 0;
        for (int k = 0; k < m; k++) {
          softmax[j * m + k] = Math.exp(scores[base + j * m + k] - max);
          sum += softmax[j * m + k];
        }
        for (int k = 0; k < m; k++) {
          softmax[j * m + k] /= sum;
        }
      }
      for (int k = 0; k < m; k++) {
        int best = 0;
        for (int j = 1; j < m; j++) {
          if (softmax[j * m + k] > softmax[best * m + k]) {
            best = j;
          }
        }
        correct += best == k ? 1 : 0;
      }
    }
    return (double) correct / (b * m);
  }
}
