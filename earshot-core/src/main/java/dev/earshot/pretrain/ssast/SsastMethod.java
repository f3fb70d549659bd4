package dev.earshot.pretrain.ssast;

import dev.earshot.features.Normalization;
import dev.earshot.model.AudioTransformer;
import dev.earshot.model.AudioTransformerConfig;
import dev.earshot.model.ModelFamily;
import dev.earshot.pretrain.Export;
import dev.earshot.pretrain.ExportRole;
import dev.earshot.pretrain.MethodContext;
import dev.earshot.pretrain.MethodProfile;
import dev.earshot.pretrain.MethodOption;
import dev.earshot.pretrain.MethodSetup;
import dev.earshot.pretrain.MethodState;
import dev.earshot.pretrain.PretrainingMethod;
import dev.earshot.pretrain.Synchronisation;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * SSAST: masked spectrogram patch modelling — an InfoNCE pass and an MSE pass over cluster-masked patches.
 * Nothing but the encoder and its two heads is trained or kept; workers need only the averaged gradients (every
 * worker draws its own masks from (seed, step, batch)).
 */
public final class SsastMethod implements PretrainingMethod<SsastRecipe> {
  private static final MethodProfile<SsastRecipe> PROFILE = new MethodProfile<>("ssast", "SSAST",
      "masked patch InfoNCE + 10 x MSE on cluster-masked patches",
      "ssast-cpu", "ssast-base-patch", ModelFamily.SSAST_PATCH, SsastRecipe.class, SsastRecipe.defaults(),
      Normalization.AUDIOSET, List.of("loss", "nce", "mse", "mpc_acc"),
      "SSAST's masking is ssast.maskRatio or ssast.maskCount");

  @Override
  public MethodProfile<SsastRecipe> profile() {
    return PROFILE;
  }

  @Override
  public Map<MethodOption, String> options() {
    return Map.of(MethodOption.MASK_RATIO, "maskRatio", MethodOption.MASK_COUNT, "maskCount");
  }

  @Override
  public List<Export> exports(SsastRecipe settings) {
    return List.of(new Export(Export.MAIN, ExportRole.STUDENT, "encoder"));
  }

  @Override
  public List<MethodState> state() {
    return List.of();
  }

  @Override
  public List<Synchronisation> synchronisation() {
    return List.of();
  }

  @Override
  public MethodSetup setup(SsastRecipe settings, MethodContext context) {
    AudioTransformerConfig c = context.vitConfig();
    AudioTransformer encoder = new AudioTransformer(context.manager(), c, context.seed());
    context.loadInit(encoder);
    SsastHeads heads = new SsastHeads(context.manager(), c.embedDim(), c.grid().patchSize(),
        new SplittableRandom(context.seed() + 1));
    SsastConfig config = settings.toConfig(c.grid());
    return new MethodSetup(new SsastObjective(encoder, heads, config, context.seed()),
        Map.of(ExportRole.STUDENT, encoder), config.masking().count() + " of " + c.grid().numPatches()
            + " patches masked");
  }
}
