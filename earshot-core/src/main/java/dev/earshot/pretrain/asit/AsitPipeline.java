package dev.earshot.pretrain.asit;

import dev.earshot.tensor.TensorScope;
import dev.earshot.model.AudioTransformer;
import dev.earshot.model.AudioTransformerConfig;
import dev.earshot.nn.Module;
import java.util.SplittableRandom;

/**
 * One ASiT network (the official {@code FullPipeline}): {@code backbone} (a pre-LN ViT with one CLS token and
 * learned positions), {@code head_cls} and {@code head_recons}. Student and teacher are two of these; their
 * parameter paths are the official checkpoint's.
 */
public final class AsitPipeline extends Module {
  private final AudioTransformer backbone;
  private final AsitClsHead headCls;
  private final AsitReconstructionHead headRecons;

  public AsitPipeline(TensorScope manager, AudioTransformerConfig backboneConfig, AsitConfig config, long seed) {
    super(manager);
    SplittableRandom rng = new SplittableRandom(seed ^ 0xA517L);
    int d = backboneConfig.embedDim();
    this.backbone = child("backbone", new AudioTransformer(manager, backboneConfig, seed));
    this.headCls = child("head_cls", new AsitClsHead(manager, d, config.outDimCls(), config.outDimData(),
        config.headHidden(), config.headBottleneck(), rng));
    this.headRecons = child("head_recons", new AsitReconstructionHead(manager, d, config.reconstructionHidden(),
        config.reconstructionBottleneck(), backboneConfig.grid().patchFrames(), rng));
  }

  public AudioTransformer backbone() {
    return backbone;
  }

  public AsitClsHead headCls() {
    return headCls;
  }

  public AsitReconstructionHead headRecons() {
    return headRecons;
  }
}
