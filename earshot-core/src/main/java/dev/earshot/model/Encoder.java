package dev.earshot.model;

import dev.earshot.tensor.Tensor;
import dev.earshot.tensor.TensorScope;
import dev.earshot.nn.Module;
import dev.earshot.nn.RandomSource;

/**
 * A spectrogram encoder with an optional classifier head: what fine-tuning, evaluation and inference need,
 * whatever the architecture ({@link AudioTransformer}, {@link MultiscaleTransformer}). Inputs are normalised
 * filterbanks (B, T, F). Sealed: each architecture says how it is written to a model directory
 * ({@link #manifest}), so nothing downstream asks which one it holds.
 */
public abstract sealed class Encoder extends Module permits AudioTransformer, MultiscaleTransformer {
  protected Encoder(TensorScope manager) {
    super(manager);
  }

  /**
   * One forward pass read out at a layer.
   *
   * @param tokens (B, N, D) token embeddings at the chosen layer (without special tokens)
   * @param pooled (B, D) the clip embedding of that layer (the model's pooling rule)
   * @param logits (B, classes) from the final layer, or null without a head
   * @param timeSteps token grid along time
   * @param freqBands token grid along frequency
   * @param order how the N tokens are laid out on the grid
   * @param hopFrames input frames between neighbouring time steps
   */
  public record Encoding(Tensor tokens, Tensor pooled, Tensor logits, int timeSteps, int freqBands,
      TokenOrder order, int hopFrames) {}

  /** Blocks in order of depth (layer-wise learning-rate decay and layer read-outs count them). */
  public abstract int depth();

  /** The input length in frames the model was built for. */
  public abstract int inputFrames();

  /** Width of the clip embedding. */
  public abstract int embedDim();

  /** Classifier outputs (0 without a head). */
  public abstract int numClasses();

  /** True when the model has a classifier head. */
  public abstract boolean hasHead();

  /** The generator behind drop-path; trainers reseed it every step. */
  public abstract RandomSource randomSource();

  /** (B, T, F) input to (B, classes) logits. */
  public abstract Tensor forward(Tensor input);

  /** (B, T, F) input to the (B, D) clip embedding of the final layer. */
  public abstract Tensor clipEmbedding(Tensor input);

  /**
   * The tokens and clip embedding at {@code layer} (0 = before the first block, k = after block k, -1 = the
   * final output), and the logits if {@code withLogits} and the model has a head.
   */
  public final Encoding encode(Tensor input, int layer, boolean withLogits) {
    return encode(input, Readout.layer(layer), withLogits);
  }

  /**
   * The tokens and clip embedding read out as {@code readout} says (its pooling of each of its layers, averaged
   * over them), and the logits if {@code withLogits} and the model has a head; one forward pass.
   */
  public abstract Encoding encode(Tensor input, Readout readout, boolean withLogits);

  /**
   * Appends to {@code pooled} (B, D) the standard deviation over time steps of {@code tokens} (B, N, D) averaged
   * over frequency (population std, eps 1e-6 under the root): (B, 2 D). The time statistics of a readout.
   */
  static Tensor withTimeStd(Tensor pooled, Tensor tokens, int timeSteps, int freqBands, TokenOrder order) {
    long b = tokens.getShape().get(0);
    long d = tokens.getShape().get(2);
    Tensor steps = order == TokenOrder.FREQUENCY_MAJOR
        ? tokens.reshape(b, freqBands, timeSteps, d).mean(new int[] {1})
        : tokens.reshape(b, timeSteps, freqBands, d).mean(new int[] {2}); // (B, T', D)
    Tensor centred = steps.sub(steps.mean(new int[] {1}, true));
    Tensor std = centred.square().mean(new int[] {1}).add(1e-6).sqrt();
    return Tensor.concat(java.util.List.of(pooled, std), 1);
  }

  /**
   * The frequency-row readout of {@code tokens} (B, N, D) on a grid of {@code timeSteps} x {@code freqBands}: each
   * row's mean over time, rows concatenated low to high (B, F' D), then, with {@code withStd}, each row's std over
   * time in the same layout (population std, eps 1e-6 under the root): (B, 2 F' D).
   */
  static Tensor bandPooled(Tensor tokens, int timeSteps, int freqBands, TokenOrder order, boolean withStd) {
    long b = tokens.getShape().get(0);
    long d = tokens.getShape().get(2);
    Tensor grid = order == TokenOrder.FREQUENCY_MAJOR
        ? tokens.reshape(b, freqBands, timeSteps, d)
        : tokens.reshape(b, timeSteps, freqBands, d).swapAxes(1, 2); // (B, F', T', D)
    Tensor mean = grid.mean(new int[] {2}, true); // (B, F', 1, D)
    Tensor pooled = mean.reshape(b, freqBands * d);
    if (!withStd) {
      return pooled;
    }
    Tensor std = grid.sub(mean).square().mean(new int[] {2}).add(1e-6).sqrt().reshape(b, freqBands * d);
    return Tensor.concat(java.util.List.of(pooled, std), 1);
  }

  /** The manifest of this model as built (architecture tag and configuration) with {@code spec}. */
  public abstract ModelDirectory.Manifest manifest(PretrainedSpec spec);

  /**
   * The manifest of this model without its training-time regularisation (dropout, stochastic depth): what
   * pretraining exports, so that fine-tuning starts from the architecture and chooses its own.
   */
  public abstract ModelDirectory.Manifest inferenceManifest(PretrainedSpec spec);
}
