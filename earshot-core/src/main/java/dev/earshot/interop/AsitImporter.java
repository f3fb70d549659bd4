package dev.earshot.interop;

import dev.earshot.audio.Mixdown;
import dev.earshot.features.FbankConfig;
import dev.earshot.features.Normalization;
import dev.earshot.io.CheckpointFormatException;
import dev.earshot.io.HostTensor;
import dev.earshot.io.TorchCheckpointReader;
import dev.earshot.model.AudioTransformerConfig;
import dev.earshot.model.PatchGrid;
import dev.earshot.model.Pooling;
import dev.earshot.model.PretrainedSpec;
import dev.earshot.model.TokenOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Imports the backbone of an ASiT checkpoint in the official layout ({@code checkpoint.pth} as main_ASiT.py
 * saves it: {@code student} (DistributedDataParallel keys, {@code module.} prefix) and {@code teacher}
 * dictionaries of {@code FullPipeline}). The teacher is imported unless {@code teacher} is false in the
 * options: ASiT's fine-tuning code is unreleased, and DINO-style methods fine-tune the EMA teacher, which
 * is the smoother of the two networks. The distillation and reconstruction heads are left out (pretraining
 * only). The front end is ASiT's: 32 kHz Kaldi fbank, 128 bins, AudioSet normalisation.
 */
final class AsitImporter {
  private AsitImporter() {}

  static ImportedModel run(Path file, ImportOptions opt, boolean teacher) {
    List<String> notes = new ArrayList<>();
    Object root = TorchCheckpointReader.read(file);
    Map<String, HostTensor> w = teacher ? TorchCheckpointReader.stateDict(file, root, "teacher")
        : TimmAstImporter.stripPrefix(TorchCheckpointReader.stateDict(file, root, "student"), "module.");
    notes.add("weights: the " + (teacher ? "EMA teacher" : "student") + "'s backbone");
    KeyMapping mapping = new KeyMapping()
        .rename("backbone\\.(cls_token|pos_embed)", "$1")
        .rename("backbone\\.patch_embed\\.proj\\.(weight|bias)", "patch_embed.proj.$1")
        .rename("backbone\\.blocks\\.(\\d+)\\.(.*)", "blocks.$1.$2")
        .rename("backbone\\.norm\\.(weight|bias)", "norm.$1")
        .ignore("head_cls\\..*", "ASiT's self-distillation head (pretraining only)")
        .ignore("head_recons\\..*", "ASiT's reconstruction head (pretraining only)");
    KeyMapping.Result result = mapping.apply(w, file);
    result.ignored().forEach((reason, keys) -> notes.add("ignored " + keys.size() + " tensor(s): " + reason));
    Map<String, HostTensor> weights = result.mapped();
    HostTensor cls = weights.get("cls_token");
    HostTensor pos = weights.get("pos_embed");
    HostTensor proj = weights.get("patch_embed.proj.weight");
    if (cls == null || pos == null || proj == null) {
      throw new CheckpointFormatException(file, "no ASiT backbone (backbone.cls_token, pos_embed, patch_embed) in the "
          + (teacher ? "teacher" : "student"));
    }
    int dim = (int) cls.shape()[2];
    int depth = Imports.countBlocks(weights, "blocks.", file);
    Integer heads = opt.heads() != null ? opt.heads() : Imports.headsForWidth(dim);
    if (heads == null) {
      throw new CheckpointFormatException(file, "width " + dim + " is not a published ViT width; give --heads");
    }
    int patch = (int) proj.shape()[2];
    int freqPatches = 128 / patch;
    int patches = (int) pos.shape()[1] - 1;
    if (patches % freqPatches != 0) {
      throw new CheckpointFormatException(file, "pos_embed has " + patches + " patch rows, not a multiple of the "
          + freqPatches + " frequency patches of 128 bins");
    }
    int frames = patches / freqPatches * patch;
    if (opt.frames() != null && opt.frames() != frames) {
      notes.add("--frames " + opt.frames() + " ignored: the learned positions fix the input at " + frames
          + " frames (fine-tuning adapts them to other lengths)");
    }
    int mlp = (int) weights.get("blocks.0.mlp.fc1.weight").shape()[0];
    AudioTransformerConfig config = AudioTransformerConfig.vit(
        new PatchGrid(frames, 128, patch, patch, patch, patch, TokenOrder.TIME_MAJOR)).width(dim, depth, heads, mlp)
        .pooling(opt.pooling() != null ? opt.pooling() : Pooling.CLS).build();
    Normalization norm = opt.normalization() != null ? opt.normalization() : Normalization.AUDIOSET;
    notes.add("front end: 32 kHz fbank (ASiT's), normalised with AudioSet's constants as ASiT does");
    PretrainedSpec spec = new PretrainedSpec(32000, Mixdown.AVERAGE, FbankConfig.ast(32000), norm, frames, List.of(),
        Imports.activation(opt.activation(), 0, notes), Imports.describe(ImportSource.ASIT, file));
    return new ImportedModel(config, spec, weights, notes);
  }
}
