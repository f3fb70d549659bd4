package dev.earshot.pretrain.ssmast;

import dev.earshot.features.Normalization;
import dev.earshot.model.ModelFamily;
import dev.earshot.model.ModelRegistry;
import dev.earshot.model.mast.MultiscaleConfig;
import dev.earshot.pretrain.Export;
import dev.earshot.pretrain.ExportRole;
import dev.earshot.pretrain.MethodContext;
import dev.earshot.pretrain.MethodProfile;
import dev.earshot.pretrain.MethodSetup;
import dev.earshot.pretrain.MethodState;
import dev.earshot.pretrain.PretrainingMethod;
import dev.earshot.pretrain.Synchronisation;
import dev.earshot.pretrain.Synchronisation.Collective;
import java.util.List;
import java.util.Map;

/**
 * SS-MAST: MoCo-v2's symmetric contrast between two views of each clip, the student's patch-dropped, against a
 * momentum teacher and a queue of past keys, on the multiscale MAST encoder.
 */
public final class SsmastMethod implements PretrainingMethod<SsmastRecipe> {
  private static final MethodProfile<SsmastRecipe> PROFILE = new MethodProfile<>("ssmast", "SS-MAST",
      "a multiscale MAST encoder, contrastive with a momentum teacher",
      "ssmast-cpu", "ssmast-small", ModelFamily.MAST, SsmastRecipe.class, SsmastRecipe.defaults(),
      Normalization.AUDIOSET, List.of("loss", "accuracy"),
      "SS-MAST's patch-drop is set in the recipe (ssmast.patchDrop)");

  @Override
  public MethodProfile<SsmastRecipe> profile() {
    return PROFILE;
  }

  @Override
  public int modelFrames(SsmastRecipe settings, int frames) {
    return settings.cropFramesOr(frames);
  }

  @Override
  public Map<String, Object> inputLengthSettings(int frames) {
    return Map.of("cropFrames", PretrainingMethod.cropFor(frames));
  }

  @Override
  public List<Export> exports(SsmastRecipe settings) {
    return List.of(new Export(Export.MAIN, ExportRole.STUDENT, "student (query) encoder"),
        new Export("model-teacher", ExportRole.TEACHER, "momentum (key) encoder"));
  }

  @Override
  public List<MethodState> state() {
    return List.of(
        new MethodState("teacher", "momentum (key) network: encoder and projection, moved towards the student"
            + " before each key pass"),
        new MethodState("queue", "MoCo queue of past keys (projection x size) and its write pointer"));
  }

  @Override
  public List<Synchronisation> synchronisation() {
    return List.of(
        new Synchronisation("teacher", Collective.IDENTICAL_UPDATE, "every worker applies the same momentum step to"
            + " the same (all-reduced) student before its key pass"),
        new Synchronisation("queue", Collective.ALL_GATHER, "the keys of every worker's batch are gathered in rank"
            + " order and enqueued on every worker (MoCo's concat_all_gather), so all queues hold the same negatives;"
            + " MAST normalises with LayerNorm, so MoCo's batch shuffle is not needed"));
  }

  @Override
  public MethodSetup setup(SsmastRecipe settings, MethodContext context) {
    MultiscaleConfig c = ModelRegistry.multiscale(context.model(), context.frames(), 0);
    SsmastConfig config = settings.toConfig(c.frames());
    SsmastNetwork student = new SsmastNetwork(context.manager(), c, config.projectionDim(), context.seed());
    context.loadInit(student.encoder());
    SsmastObjective objective = new SsmastObjective(student, new SsmastNetwork(context.manager(), c,
        config.projectionDim(), context.seed() + 2), config, context.seed());
    return new MethodSetup(objective, Map.of(ExportRole.STUDENT, student.encoder(), ExportRole.TEACHER,
        objective.teacherModel().encoder()), "two views per clip, " + Math.round(100 * config.patchDrop())
            + "% patch-drop, queue " + config.queueSize());
  }
}
