package dev.earshot.interop;

import com.fasterxml.jackson.databind.JsonNode;
import dev.earshot.features.Normalization;
import dev.earshot.io.CheckpointFormatException;
import dev.earshot.io.HostTensor;
import dev.earshot.io.Json;
import dev.earshot.io.Safetensors;
import dev.earshot.io.TorchCheckpointReader;
import dev.earshot.model.AudioTransformerConfig;
import dev.earshot.model.PatchGrid;
import dev.earshot.model.Pooling;
import dev.earshot.model.PretrainedSpec;
import dev.earshot.model.TokenOrder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Imports Hugging Face {@code ASTForAudioClassification} folders: {@code config.json} plus
 * {@code model.safetensors} (or {@code pytorch_model.bin}), and {@code preprocessor_config.json} when present
 * for the normalisation constants. Separate query/key/value projections are fused into earshot's
 * {@code qkv}; every LayerNorm, including the classifier's, uses the config's {@code layer_norm_eps}.
 */
final class HuggingFaceAstImporter {
  private static final String P = "audio_spectrogram_transformer.";

  private HuggingFaceAstImporter() {}

  static ImportedModel run(Path dir, ImportOptions opt) {
    List<String> notes = new ArrayList<>();
    JsonNode cfg = readJson(dir.resolve("config.json"));
    Map<String, HostTensor> w = readWeights(dir);
    int dim = cfg.path("hidden_size").asInt(768);
    int depth = cfg.path("num_hidden_layers").asInt(12);
    int heads = opt.heads() != null ? opt.heads() : cfg.path("num_attention_heads").asInt(12);
    int mlpHidden = cfg.path("intermediate_size").asInt(4 * dim);
    double eps = cfg.path("layer_norm_eps").asDouble(1e-12);
    int patch = cfg.path("patch_size").asInt(16);
    int fstride = cfg.path("frequency_stride").asInt(10);
    int tstride = cfg.path("time_stride").asInt(10);
    int frames = opt.frames() != null ? opt.frames() : cfg.path("max_length").asInt(1024);
    int bins = cfg.path("num_mel_bins").asInt(128);
    if (!"gelu".equals(cfg.path("hidden_act").asText("gelu"))) {
      throw new CheckpointFormatException(dir, "hidden_act '" + cfg.path("hidden_act").asText() + "' is not supported (gelu)");
    }
    PatchGrid grid = new PatchGrid(frames, bins, patch, patch, tstride, fstride, TokenOrder.FREQUENCY_MAJOR);

    KeyMapping mapping = new KeyMapping()
        .rename(q("embeddings.cls_token"), "cls_token")
        .rename(q("embeddings.distillation_token"), "dist_token")
        .rename(q("embeddings.position_embeddings"), "pos_embed")
        .rename(q("embeddings.patch_embeddings.projection.") + "(weight|bias)", "patch_embed.proj.$1")
        .consume(q("encoder.layer.") + "\\d+\\.attention\\.attention\\.(query|key|value)\\.(weight|bias)",
            "fused into blocks.i.attn.qkv")
        .rename(q("encoder.layer.") + "(\\d+)\\.attention\\.output\\.dense\\.(weight|bias)", "blocks.$1.attn.proj.$2")
        .rename(q("encoder.layer.") + "(\\d+)\\.intermediate\\.dense\\.(weight|bias)", "blocks.$1.mlp.fc1.$2")
        .rename(q("encoder.layer.") + "(\\d+)\\.output\\.dense\\.(weight|bias)", "blocks.$1.mlp.fc2.$2")
        .rename(q("encoder.layer.") + "(\\d+)\\.layernorm_before\\.(weight|bias)", "blocks.$1.norm1.$2")
        .rename(q("encoder.layer.") + "(\\d+)\\.layernorm_after\\.(weight|bias)", "blocks.$1.norm2.$2")
        .rename(q("layernorm.") + "(weight|bias)", "norm.$1")
        .rename("classifier\\.layernorm\\.(weight|bias)", "head.norm.$1")
        .rename("classifier\\.dense\\.(weight|bias)", "head.linear.$1");
    Map<String, HostTensor> weights = new LinkedHashMap<>(mapping.apply(w, dir).mapped());
    for (int i = 0; i < depth; i++) {
      String l = P + "encoder.layer." + i + ".attention.attention.";
      for (String kind : new String[] {"weight", "bias"}) {
        HostTensor qt = Imports.require(w, l + "query." + kind, dir);
        HostTensor kt = Imports.require(w, l + "key." + kind, dir);
        HostTensor vt = Imports.require(w, l + "value." + kind, dir);
        float[] fused = new float[qt.size() * 3];
        System.arraycopy(qt.floats(), 0, fused, 0, qt.size());
        System.arraycopy(kt.floats(), 0, fused, qt.size(), qt.size());
        System.arraycopy(vt.floats(), 0, fused, 2 * qt.size(), qt.size());
        long[] shape = qt.shape().clone();
        shape[0] *= 3;
        weights.put("blocks." + i + ".attn.qkv." + kind, HostTensor.ofFloats(fused, shape));
      }
    }
    int positions = (int) Imports.require(weights, "pos_embed", dir).shape()[1] - 2;
    if (positions != grid.numPatches()) {
      throw new CheckpointFormatException(dir, "position_embeddings hold " + positions + " patches but "
          + frames + " frames with strides " + fstride + "/" + tstride + " make " + grid.numPatches()
          + " (check max_length or give --frames)");
    }
    int classes = weights.containsKey("head.linear.weight") ? (int) weights.get("head.linear.weight").shape()[0] : 0;
    List<String> labels = opt.labels() != null ? opt.labels() : labelsFromConfig(cfg, classes);
    AudioTransformerConfig config = AudioTransformerConfig.deit(grid).width(dim, depth, heads, mlpHidden)
        .qkvBias(cfg.path("qkv_bias").asBoolean(true)).layerNormEps(eps)
        .pooling(opt.pooling() != null ? opt.pooling() : Pooling.CLS_DIST_MEAN).numClasses(classes).headNormEps(eps)
        .build();
    Normalization norm = opt.normalization() != null ? opt.normalization() : preprocessorNormalization(dir, notes);
    PretrainedSpec spec = PretrainedSpec.ast(norm, frames, Imports.labels(labels, classes, dir, notes),
        Imports.activation(opt.activation(), classes, notes), Imports.describe(ImportSource.AST_HF, dir));
    return new ImportedModel(config, spec, weights, notes);
  }

  private static String q(String key) {
    return java.util.regex.Pattern.quote(P + key);
  }

  private static Map<String, HostTensor> readWeights(Path dir) {
    Path st = dir.resolve("model.safetensors");
    if (Files.exists(st)) {
      return Safetensors.read(st).tensors();
    }
    Path bin = dir.resolve("pytorch_model.bin");
    if (Files.exists(bin)) {
      return TorchCheckpointReader.stateDict(bin, TorchCheckpointReader.read(bin));
    }
    throw new CheckpointFormatException(dir, "no model.safetensors or pytorch_model.bin in this folder");
  }

  static JsonNode readJson(Path file) {
    try {
      return Json.tree(file);
    } catch (java.io.FileNotFoundException e) {
      throw new CheckpointFormatException(file, "missing (a Hugging Face model folder needs config.json)", e);
    } catch (IOException e) {
      throw new CheckpointFormatException(file, "malformed JSON: " + e.getMessage(), e);
    }
  }

  private static List<String> labelsFromConfig(JsonNode cfg, int classes) {
    JsonNode id2label = cfg.path("id2label");
    if (!id2label.isObject() || id2label.size() != classes) {
      return null;
    }
    String[] names = new String[classes];
    for (Iterator<Map.Entry<String, JsonNode>> it = id2label.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      int i = Integer.parseInt(e.getKey());
      if (i < 0 || i >= classes) {
        return null;
      }
      names[i] = e.getValue().asText();
    }
    return List.of(names);
  }

  private static Normalization preprocessorNormalization(Path dir, List<String> notes) {
    Path p = dir.resolve("preprocessor_config.json");
    if (Files.exists(p)) {
      JsonNode pc = readJson(p);
      if (pc.has("mean") && pc.has("std")) {
        notes.add("normalisation from preprocessor_config.json");
        return new Normalization(pc.get("mean").asDouble(), pc.get("std").asDouble());
      }
    }
    notes.add("normalisation: AudioSet constants (ASTFeatureExtractor defaults)");
    return Normalization.AUDIOSET;
  }
}
