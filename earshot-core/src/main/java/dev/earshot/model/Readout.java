package dev.earshot.model;

import dev.earshot.ConfigException;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How a frozen clip embedding is read out of an encoder: a pooling rule applied to the token sequence of one or
 * more layers, averaged over those layers (time-step embeddings average the same layers' tokens). Recorded in a
 * model's {@code model.json} by the pretraining that produced it, so that {@code embed} and
 * {@link dev.earshot.infer.AudioEmbedder} read each method's encoder the way it embeds best without being told.
 *
 * @param pooling the rule ({@code mean}: patches, special tokens excluded; {@code cls}; {@code cls-dist}), or null
 *     for the model's own (its configuration's pooling)
 * @param layers -1 the final output (after the final norm where the model has one), 0 the input of the first
 *     block, k the output of block k; at least one, each once
 * @param timeStd also the standard deviation over time of the time-step embeddings (tokens averaged over
 *     frequency), appended to the pooled vector (2 D values): the encoder's counterpart of log-mel statistics,
 *     which keeps a short event in a long clip from vanishing in the average (absent: false)
 * @param bands keep the frequency axis: the patches are averaged over time within each row of the patch grid
 *     and the rows concatenated (F' D values, F' rows; with {@code timeStd} each row's std over time follows:
 *     2 F' D), as MSM-MAE and M2D read their encoders; a mean over all patches would mix what sounds where in
 *     frequency into one D-vector (absent: false; only with mean pooling)
 */
public record Readout(Pooling pooling, List<Integer> layers, Boolean timeStd, Boolean bands) {
  /** The model's own pooling of its final output: what models without a recorded readout use. */
  public static final Readout FINAL = new Readout(null, List.of(-1));

  /** A readout without the time statistics. */
  public Readout(Pooling pooling, List<Integer> layers) {
    this(pooling, layers, false);
  }

  /** A readout that pools over all patches (no frequency rows). */
  public Readout(Pooling pooling, List<Integer> layers, Boolean timeStd) {
    this(pooling, layers, timeStd, false);
  }

  public Readout {
    timeStd = timeStd != null && timeStd;
    bands = bands != null && bands;
    if (bands && pooling != null && pooling != Pooling.MEAN_PATCHES) {
      throw new ConfigException("readout.bands: keeping frequency rows needs mean pooling, got " + pooling.label());
    }
    layers = layers == null ? List.of(-1) : List.copyOf(layers);
    if (layers.isEmpty() || layers.stream().anyMatch(l -> l < -1)
        || layers.stream().distinct().count() != layers.size()) {
      throw new ConfigException("readout.layers: one or more distinct layers, each -1 (final output) or at least 0,"
          + " got " + layers);
    }
  }

  /** The model's own pooling of one layer. */
  public static Readout layer(int layer) {
    return new Readout(null, List.of(layer));
  }

  /** The pooling that applies to a model whose configuration pools by {@code own}. */
  public Pooling poolingOr(Pooling own) {
    return pooling == null ? own : pooling;
  }

  /** Checks the layers against a model of {@code depth} blocks. */
  public void requireLayersOf(int depth) {
    for (int l : layers) {
      if (l > depth) {
        throw new ConfigException("readout: layer " + l + " does not exist: use 0 (embeddings) .. " + depth
            + " (last block), or -1 for the final output");
      }
    }
  }

  /** In words, e.g. "mean of patches, average of blocks 1, 2". */
  public String describe() {
    String p = bands ? "mean of patches" // rows are always averaged, whatever the model's own pooling
        : pooling == null ? "the model's pooling" : switch (pooling) {
      case MEAN_PATCHES -> "mean of patches";
      case CLS -> "CLS token";
      case CLS_DIST_MEAN -> "mean of CLS and distillation tokens";
    };
    String l = layers.equals(List.of(-1)) ? "final output" : (layers.size() > 1 ? "average of " : "")
        + layers.stream().map(k -> k == -1 ? "final output" : k == 0 ? "embeddings" : "block " + k)
            .collect(Collectors.joining(", "));
    return String.format(Locale.ROOT, "%s%s, %s%s", p, bands ? " per frequency row" : "", l,
        timeStd ? ", with the std over time steps" : "");
  }
}
