package dev.earshot.interop;

import com.fasterxml.jackson.databind.JsonNode;
import dev.earshot.features.Normalization;
import dev.earshot.io.CheckpointFormatException;
import dev.earshot.io.HostTensor;
import dev.earshot.io.Safetensors;
import dev.earshot.io.TorchCheckpointReader;
import dev.earshot.model.AudioTransformerConfig;
import dev.earshot.model.PatchGrid;
import dev.earshot.model.Pooling;
import dev.earshot.model.PretrainedSpec;
import dev.earshot.model.SinCosPositions;
import dev.earshot.model.TokenOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Imports EAT: fairseq {@code .pt} checkpoints (pretraining: the data2vec model with its decoder and the EMA
 * teacher under {@code _ema}; fine-tuned: the same encoder under {@code model.} plus {@code fc_norm} and
 * {@code head}) and the Hugging Face port (config.json + model.safetensors, keys under {@code model.}).
 *
 * <p>The fairseq config objects in the checkpoint are read only as data (width, heads, epsilon, target length);
 * nothing in them is executed. The fixed sin-cos table stored in the file is compared with earshot's own and
 * then regenerated, so older files with shorter tables load too. Fine-tuning starts from the student, as EAT
 * does; {@code --teacher} takes the EMA weights of a pretraining checkpoint instead.
 */
final class EatImporter {
  private static final String IMAGE = "modality_encoders\\.IMAGE\\.";

  private EatImporter() {}

  static ImportedModel run(ImportSource source, Path file, ImportOptions opt) {
    List<String> notes = new ArrayList<>();
    Map<String, HostTensor> w;
    ModelFacts facts;
    if (source == ImportSource.EAT_HF) {
      JsonNode cfg = HuggingFaceAstImporter.readJson(file.resolve("config.json"));
      w = Safetensors.read(file.resolve("model.safetensors")).tensors();
      facts = new ModelFacts(cfg.path("num_heads").asInt(12), cfg.path("norm_eps").asDouble(1e-6),
          cfg.path("img_size").path(0).asInt(1024), 1e-5);
      w = TimmAstImporter.stripPrefix(w, "model.");
      w = renameHf(w);
      notes.add("Hugging Face EAT port: fc_norm epsilon 1e-5 (the port's nn.LayerNorm default)");
    } else {
      Object root = TorchCheckpointReader.read(file);
      Map<?, ?> cfg = root instanceof Map<?, ?> r && r.get("cfg") instanceof Map<?, ?> c ? c : Map.of();
      Map<?, ?> modelCfg = map(cfg.get("model"));
      if (modelCfg.get("pretrained_model_args") instanceof Map<?, ?> pre) {
        modelCfg = map(pre.get("model"));
      }
      int heads = modelCfg.get("num_heads") instanceof Number n ? n.intValue() : -1;
      double eps = modelCfg.get("norm_eps") instanceof Number n ? n.doubleValue() : 1e-6;
      Map<?, ?> task = map(cfg.get("task"));
      int targetLength = task.get("target_length") instanceof Number n ? n.intValue() : 1024;
      facts = new ModelFacts(heads, eps, targetLength, 1e-6);
      if (opt.teacher()) {
        Object model = root instanceof Map<?, ?> r ? r.get("model") : null;
        if (!(model instanceof Map<?, ?> m) || !(m.get("_ema") instanceof Map<?, ?>)) {
          throw new CheckpointFormatException(file, "--teacher: this checkpoint has no EMA teacher ('_ema')");
        }
        w = TorchCheckpointReader.stateDict(file, root, "model", "_ema");
        notes.add("weights: the EMA teacher (_ema)");
      } else {
        w = TorchCheckpointReader.stateDict(file, root, "model");
      }
      w = TimmAstImporter.stripPrefix(w, "model.");
      if (w.keySet().stream().anyMatch(k -> k.startsWith("model."))) {
        Map<String, HostTensor> stripped = new LinkedHashMap<>();
        w.forEach((k, v) -> stripped.put(k.startsWith("model.") ? k.substring(6) : k, v));
        w = stripped;
      }
    }
    HostTensor proj = Imports.require(w, "modality_encoders.IMAGE.local_encoder.proj.weight", file);
    int dim = (int) proj.shape()[0];
    int patch = (int) proj.shape()[2];
    int heads = opt.heads() != null ? opt.heads() : facts.heads() > 0 ? facts.heads() : Imports.headsForWidth(dim) == null ? -1
        : Imports.headsForWidth(dim);
    if (heads <= 0) {
      throw new CheckpointFormatException(file, "the number of attention heads is not recorded: give --heads");
    }
    int depth = Imports.countBlocks(w, "blocks.", file);
    int mlpHidden = (int) Imports.require(w, "blocks.0.mlp.fc1.weight", file).shape()[0];
    HostTensor positions = Imports.require(w, "modality_encoders.IMAGE.fixed_positional_encoder.positions", file);
    int freqPatches = 128 / patch;
    int maxTime = (int) (positions.shape()[1] / freqPatches);
    float[] regenerated = SinCosPositions.table(maxTime, freqPatches, dim);
    double worst = 0;
    for (int i = 0; i < regenerated.length; i++) {
      worst = Math.max(worst, Math.abs(regenerated[i] - positions.floats()[i]));
    }
    if (worst > 1e-3) {
      throw new CheckpointFormatException(file, "the stored position table differs from EAT's sin-cos table by "
          + worst + "; not an EAT checkpoint?");
    }
    notes.add(String.format(java.util.Locale.ROOT,
        "sin-cos positions: %d time patches, stored table equals the regenerated one to %.1e", maxTime, worst));

    KeyMapping mapping = new KeyMapping()
        .rename(IMAGE + "extra_tokens", "cls_token")
        .rename(IMAGE + "local_encoder\\.proj\\.(weight|bias)", "patch_embed.proj.$1")
        .consume(IMAGE + "fixed_positional_encoder\\.positions", "regenerated from the formula")
        .rename(IMAGE + "context_encoder\\.norm\\.(weight|bias)", "input_norm.$1")
        .ignore(IMAGE + "decoder\\..*", "EAT's pretraining decoder (not part of the encoder)")
        .ignore(IMAGE + "encoder_mask", "legacy mask buffer")
        .rename("blocks\\.(\\d+)\\.(.*)", "blocks.$1.$2")
        .rename("fc_norm\\.(weight|bias)", "head.norm.$1")
        .rename("head\\.(weight|bias)", "head.linear.$1");
    KeyMapping.Result result = mapping.apply(w, file);
    result.ignored().forEach((reason, keys) -> notes.add("ignored " + keys.size() + " tensor(s): " + reason));
    Map<String, HostTensor> weights = new LinkedHashMap<>(result.mapped());
    HostTensor cls = weights.get("cls_token");
    if (cls != null && cls.shape()[1] != 1) {
      throw new CheckpointFormatException(file, "EAT models with " + cls.shape()[1] + " extra tokens are not supported");
    }
    int classes = weights.containsKey("head.linear.weight") ? (int) weights.get("head.linear.weight").shape()[0] : 0;
    int frames = opt.frames() != null ? opt.frames() : facts.targetLength();
    PatchGrid grid = new PatchGrid(frames, 128, patch, patch, patch, patch, TokenOrder.TIME_MAJOR);
    AudioTransformerConfig config = AudioTransformerConfig.data2vec(grid).width(dim, depth, heads, mlpHidden)
        .layerNormEps(facts.eps()).maxTimePatches(maxTime).pooling(opt.pooling() != null ? opt.pooling() : Pooling.CLS)
        .numClasses(classes).headNormEps(facts.headEps()).build();
    PretrainedSpec spec = PretrainedSpec.ast(
        opt.normalization() != null ? opt.normalization() : Normalization.EAT_AUDIOSET, frames,
        Imports.labels(opt.labels(), classes, file, notes), Imports.activation(opt.activation(), classes, notes),
        Imports.describe(source, file));
    return new ImportedModel(config, spec, weights, notes);
  }

  private record ModelFacts(int heads, double eps, int targetLength, double headEps) {}

  /** Hugging Face port names back to the fairseq ones, so one mapping serves both. */
  private static Map<String, HostTensor> renameHf(Map<String, HostTensor> w) {
    Map<String, HostTensor> out = new LinkedHashMap<>();
    for (Map.Entry<String, HostTensor> e : w.entrySet()) {
      String k = e.getKey();
      String mapped;
      if (k.startsWith("local_encoder.") || k.equals("extra_tokens") || k.startsWith("fixed_positional_encoder.")) {
        mapped = "modality_encoders.IMAGE." + k;
      } else if (k.startsWith("pre_norm.")) {
        mapped = "modality_encoders.IMAGE.context_encoder.norm." + k.substring("pre_norm.".length());
      } else {
        mapped = k;
      }
      out.put(mapped, e.getValue());
    }
    return out;
  }

  private static Map<?, ?> map(Object o) {
    return o instanceof Map<?, ?> m ? m : Map.of();
  }
}
