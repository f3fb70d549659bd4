package dev.earshot.pretrain.eat;

import dev.earshot.features.Normalization;
import dev.earshot.model.AudioTransformer;
import dev.earshot.model.AudioTransformerConfig;
import dev.earshot.model.ModelFamily;
import dev.earshot.nn.NormPlacement;
import dev.earshot.pretrain.Export;
import dev.earshot.pretrain.ExportRole;
import dev.earshot.pretrain.MethodContext;
import dev.earshot.pretrain.MethodProfile;
import dev.earshot.pretrain.MethodOption;
import dev.earshot.pretrain.MethodSetup;
import dev.earshot.pretrain.MethodState;
import dev.earshot.pretrain.PretrainingMethod;
import dev.earshot.pretrain.Synchronisation;
import dev.earshot.pretrain.Synchronisation.Collective;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * EAT: a student on inverse-block-masked clones of each clip predicts an EMA teacher's layer-averaged targets
 * through a CNN decoder (frame term) and its CLS token (utterance term).
 */
public final class EatMethod implements PretrainingMethod<EatRecipe> {
  private static final MethodProfile<EatRecipe> PROFILE = new MethodProfile<>("eat", "EAT",
      "multi-clone student, EMA teacher, utterance-frame objective",
      "eat-cpu", "eat-base", ModelFamily.EAT, EatRecipe.class, EatRecipe.defaults(),
      Normalization.EAT_AUDIOSET, List.of("loss", "frame", "utterance", "ema_decay"),
      "EAT's masking is eat.maskFraction and eat.clones");

  @Override
  public MethodProfile<EatRecipe> profile() {
    return PROFILE;
  }

  @Override
  public Map<MethodOption, String> options() {
    return Map.of(MethodOption.MASK_RATIO, "maskFraction", MethodOption.CLONES, "clones");
  }

  @Override
  public Map<String, Object> runLengthSettings(long steps) {
    return Map.of("emaAnnealSteps", steps);
  }

  @Override
  public List<Export> exports(EatRecipe settings) {
    return List.of(new Export(Export.MAIN, ExportRole.STUDENT, "student encoder"),
        new Export("model-teacher", ExportRole.TEACHER, "EMA teacher encoder"));
  }

  @Override
  public List<MethodState> state() {
    return List.of(new MethodState("teacher", "EMA teacher: a frozen copy of the encoder, moved towards the student"
        + " after every update with EmaSchedule's decay"));
  }

  @Override
  public List<Synchronisation> synchronisation() {
    return List.of(
        new Synchronisation("teacher", Collective.IDENTICAL_UPDATE, "after each optimizer step every worker moves"
            + " its teacher towards the same (all-reduced) student with the same decay, so teachers stay identical"
            + " without communication"),
        new Synchronisation("utterance loss", Collective.PER_WORKER, "the utterance term is reduced over the clones"
            + " of each worker's own clips (the released code computes it per device); targets are never gathered"));
  }

  @Override
  public MethodSetup setup(EatRecipe settings, MethodContext context) {
    AudioTransformerConfig c = context.vitConfig();
    EatConfig eat = settings.toConfig(c.depth());
    context.requireLayout(c, NormPlacement.POST_LN, name(), "the post-LN EAT encoder with one CLS token (eat-*)");
    AudioTransformer encoder = new AudioTransformer(context.manager(), c, context.seed());
    context.loadInit(encoder);
    EatDecoder decoder = new EatDecoder(context.manager(), c.embedDim(), eat.decoderLayers(), eat.decoderKernel(),
        eat.decoderGroups(), new SplittableRandom(context.seed() + 1));
    AudioTransformer teacher = new AudioTransformer(context.manager(), c, context.seed() + 2);
    EatObjective objective = new EatObjective(encoder, teacher, decoder, eat, context.seed());
    int patches = c.grid().numPatches();
    return new MethodSetup(objective, Map.of(ExportRole.STUDENT, encoder, ExportRole.TEACHER, teacher),
        eat.masking().maskedCount(patches) + " of " + patches + " patches masked");
  }
}
