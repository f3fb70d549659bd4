package dev.earshot.interop;

import dev.earshot.features.Normalization;
import dev.earshot.io.CheckpointFormatException;
import dev.earshot.io.HostTensor;
import dev.earshot.io.TorchCheckpointReader;
import dev.earshot.model.AudioTransformerConfig;
import dev.earshot.model.PatchGrid;
import dev.earshot.model.Pooling;
import dev.earshot.model.PositionAdaptation;
import dev.earshot.model.PretrainedSpec;
import dev.earshot.model.TokenOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Imports SSAST and AST {@code .pth} files: DataParallel state dicts ({@code module.} prefix, accepted with or
 * without) of a timm 0.4.5 DeiT under {@code v.}, plus SSAST's pretraining heads or a fine-tuning
 * {@code mlp_head}.
 *
 * <p>Geometry. A pretrained SSAST file records its input size ({@code p_input_fdim}, {@code p_input_tdim}) and
 * patches never overlap, so its grid is known; when {@code --frames}/{@code --stride} ask for another
 * grid, the positions are adapted as SSAST's fine-tuning constructor does ({@link PositionAdaptation}).
 * Fine-tuned files (SSAST or AST) record neither input length nor stride: the importer searches the strides
 * given (or the patch size and 10) for the one whose grid has exactly the stored number of positions, with
 * the input length given (AST default 1024) or else the shortest that yields that grid, and refuses when
 * that is ambiguous, naming the flag to give. Heads are not stored either; the published widths imply them.
 */
final class TimmAstImporter {
  private static final int BINS = 128;

  private TimmAstImporter() {}

  static ImportedModel run(ImportSource source, Path file, ImportOptions opt) {
    List<String> notes = new ArrayList<>();
    Map<String, HostTensor> raw = TorchCheckpointReader.stateDict(file, TorchCheckpointReader.read(file));
    Map<String, HostTensor> w = stripPrefix(raw, "module.");
    HostTensor proj = Imports.require(w, "v.patch_embed.proj.weight", file);
    HostTensor pos = Imports.require(w, "v.pos_embed", file);
    int dim = (int) proj.shape()[0];
    int patchBins = (int) proj.shape()[2];
    int patchFrames = (int) proj.shape()[3];
    int specials = w.containsKey("v.dist_token") ? 2 : 1;
    int depth = Imports.countBlocks(w, "v.blocks.", file);
    int mlpHidden = (int) Imports.require(w, "v.blocks.0.mlp.fc1.weight", file).shape()[0];
    Integer heads = opt.heads() != null ? opt.heads() : Imports.headsForWidth(dim);
    if (heads == null) {
      throw new CheckpointFormatException(file, "width " + dim + " is not a published size, so the number of "
          + "attention heads cannot be inferred: give --heads");
    }
    int positions = (int) pos.shape()[1] - specials;

    PatchGrid grid;
    float[] posValues = pos.floats();
    if (w.containsKey("p_input_fdim")) {
      int fdim = (int) w.get("p_input_fdim").scalarLong();
      int tdim = (int) w.get("p_input_tdim").scalarLong();
      PatchGrid pretrain = new PatchGrid(tdim, fdim, patchFrames, patchBins, patchFrames, patchBins,
          TokenOrder.FREQUENCY_MAJOR);
      if (pretrain.numPatches() != positions) {
        throw new CheckpointFormatException(file, "pretraining geometry " + fdim + "x" + tdim + " gives "
            + pretrain.numPatches() + " patches but pos_embed has " + positions);
      }
      notes.add("SSAST pretrained model: input " + tdim + " frames x " + fdim + " bins, grid "
          + pretrain.freqPatches() + " x " + pretrain.timePatches() + " (frequency x time)");
      int frames = opt.frames() != null ? opt.frames() : tdim;
      int sf = opt.strideFrames() != null ? opt.strideFrames() : patchFrames;
      int sb = opt.strideBins() != null ? opt.strideBins() : patchBins;
      grid = new PatchGrid(frames, fdim, patchFrames, patchBins, sf, sb, TokenOrder.FREQUENCY_MAJOR);
      if (grid.freqPatches() != pretrain.freqPatches() || grid.timePatches() != pretrain.timePatches()) {
        posValues = PositionAdaptation.adapt(pos.floats(), dim, specials, pretrain.freqPatches(),
            pretrain.timePatches(), grid.freqPatches(), grid.timePatches());
        notes.add("positions adapted to " + frames + " frames, stride " + sb + "x" + sf + ": grid "
            + grid.freqPatches() + " x " + grid.timePatches() + " (SSAST fine-tuning rule: centre cut or bilinear)");
      }
    } else {
      grid = solveGrid(file, source, opt, patchFrames, patchBins, positions, notes);
    }

    KeyMapping mapping = new KeyMapping()
        .rename("v\\.cls_token", "cls_token")
        .rename("v\\.dist_token", "dist_token")
        .consume("v\\.pos_embed", "read into the position table")
        .rename("v\\.patch_embed\\.proj\\.(weight|bias)", "patch_embed.proj.$1")
        .rename("v\\.blocks\\.(\\d+)\\.(.*)", "blocks.$1.$2")
        .rename("v\\.norm\\.(weight|bias)", "norm.$1")
        .rename("mlp_head\\.0\\.(weight|bias)", "head.norm.$1")
        .rename("mlp_head\\.1\\.(weight|bias)", "head.linear.$1")
        .ignore("v\\.head(_dist)?\\.(weight|bias)", "timm's ImageNet classifier heads, never used by SSAST/AST")
        .ignore("(cpredlayer|gpredlayer)\\..*|mask_embed", "SSAST pretraining heads (not part of the encoder)")
        .consume("p_input_fdim|p_input_tdim", "the pretraining input size, read into the configuration");
    KeyMapping.Result result = mapping.apply(w, file);
    Map<String, HostTensor> weights = new LinkedHashMap<>(result.mapped());
    weights.put("pos_embed", HostTensor.ofFloats(posValues, 1, specials + grid.numPatches(), dim));
    result.ignored().forEach((reason, keys) -> notes.add("ignored " + keys.size() + " tensor(s): " + reason));

    int classes = weights.containsKey("head.linear.weight") ? (int) weights.get("head.linear.weight").shape()[0] : 0;
    Pooling pooling = opt.pooling() != null ? opt.pooling()
        : source == ImportSource.AST ? Pooling.CLS_DIST_MEAN : Pooling.MEAN_PATCHES;
    if (specials < 2 && pooling == Pooling.CLS_DIST_MEAN) {
      pooling = Pooling.CLS;
    }
    AudioTransformerConfig config = AudioTransformerConfig.deit(grid).width(dim, depth, heads, mlpHidden)
        .specialTokens(specials).pooling(pooling).numClasses(classes).build();
    PretrainedSpec spec = PretrainedSpec.ast(
        opt.normalization() != null ? opt.normalization() : Normalization.AUDIOSET, grid.inputFrames(),
        Imports.labels(opt.labels(), classes, file, notes), Imports.activation(opt.activation(), classes, notes),
        Imports.describe(source, file));
    if (opt.normalization() == null) {
      notes.add("normalisation: AudioSet constants (use --norm for ESC-50 or Speech Commands models)");
    }
    return new ImportedModel(config, spec, weights, notes);
  }

  private static PatchGrid solveGrid(Path file, ImportSource source, ImportOptions opt, int patchFrames,
      int patchBins, int positions, List<String> notes) {
    List<int[]> strides = new ArrayList<>();
    if (opt.strideFrames() != null || opt.strideBins() != null) {
      strides.add(new int[] {opt.strideFrames() != null ? opt.strideFrames() : patchFrames,
          opt.strideBins() != null ? opt.strideBins() : patchBins});
    } else {
      strides.add(new int[] {patchFrames, patchBins});
      if (patchFrames == 16 && patchBins == 16) {
        strides.add(new int[] {10, 10});
      }
      if (patchBins == BINS) {
        strides.add(new int[] {1, BINS});
      }
    }
    Integer frames = opt.frames() != null ? opt.frames() : source == ImportSource.AST ? Integer.valueOf(1024) : null;
    List<PatchGrid> fits = new ArrayList<>();
    for (int[] s : strides) {
      PatchGrid probe = new PatchGrid(Math.max(patchFrames, frames == null ? patchFrames : frames), BINS,
          patchFrames, patchBins, s[0], s[1], TokenOrder.FREQUENCY_MAJOR);
      int fp = probe.freqPatches();
      if (positions % fp != 0) {
        continue;
      }
      int tp = positions / fp;
      if (frames != null) {
        if (probe.timePatches() == tp) {
          fits.add(probe);
        }
      } else {
        fits.add(probe.withInputFrames((tp - 1) * s[0] + patchFrames));
      }
    }
    String flags = "give --frames N and --stride T[xF] (the length and patch stride the model was fine-tuned with)";
    if (fits.isEmpty()) {
      throw new CheckpointFormatException(file, "cannot infer the input geometry: no stride among "
          + describe(strides) + (frames == null ? "" : " with " + frames + " frames") + " gives " + positions
          + " positions; " + flags);
    }
    if (fits.size() > 1) {
      throw new CheckpointFormatException(file, "the input geometry is ambiguous (" + positions + " positions fit "
          + fits.size() + " strides: " + describe(strides) + "); " + flags);
    }
    PatchGrid g = fits.get(0);
    notes.add("fine-tuned model: " + g.inputFrames() + " frames, stride " + g.strideBins() + "x" + g.strideFrames()
        + " (frequency x time), grid " + g.freqPatches() + " x " + g.timePatches()
        + (opt.frames() == null && frames == null ? "; the length is the shortest with this grid (--frames to set)"
            : ""));
    return g;
  }

  private static String describe(List<int[]> strides) {
    StringBuilder sb = new StringBuilder();
    for (int[] s : strides) {
      sb.append(sb.length() == 0 ? "" : ", ").append(s[1]).append('x').append(s[0]);
    }
    return sb.toString();
  }

  static Map<String, HostTensor> stripPrefix(Map<String, HostTensor> raw, String prefix) {
    boolean all = !raw.isEmpty() && raw.keySet().stream().allMatch(k -> k.startsWith(prefix));
    if (!all) {
      return raw;
    }
    Map<String, HostTensor> out = new LinkedHashMap<>();
    raw.forEach((k, v) -> out.put(k.substring(prefix.length()), v));
    return out;
  }
}
