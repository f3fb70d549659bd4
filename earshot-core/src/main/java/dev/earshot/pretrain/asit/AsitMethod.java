package dev.earshot.pretrain.asit;

import dev.earshot.features.Normalization;
import dev.earshot.model.AudioTransformerConfig;
import dev.earshot.model.ModelFamily;
import dev.earshot.nn.NormPlacement;
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
 * ASiT: group-masked crops, global and local DINO self-distillation against an EMA teacher with centred
 * outputs, and L1 reconstruction of the masked cells. Exports the teacher's backbone by default (DINO's
 * convention).
 */
public final class AsitMethod implements PretrainingMethod<AsitRecipe> {
  private static final MethodProfile<AsitRecipe> PROFILE = new MethodProfile<>("asit", "ASiT",
      "GMML + local/global self-distillation",
      "asit-cpu", "asit-base-32k", ModelFamily.VIT, AsitRecipe.class, AsitRecipe.defaults(),
      Normalization.AUDIOSET, List.of("loss", "global", "local", "rec"),
      "ASiT's corruption is set in the recipe (asit.dropShare, asit.replaceShare)");

  @Override
  public MethodProfile<AsitRecipe> profile() {
    return PROFILE;
  }

  /** DINO's cosine starts at 0.04. */
  @Override
  public double defaultWeightDecay() {
    return 0.04;
  }

  @Override
  public int modelFrames(AsitRecipe settings, int frames) {
    return settings.cropFramesOrDefault();
  }

  @Override
  public Map<String, Object> inputLengthSettings(int frames) {
    return Map.of("cropFrames", PretrainingMethod.cropFor(frames));
  }

  @Override
  public List<Export> exports(AsitRecipe settings) {
    Export teacher = new Export(Export.MAIN, ExportRole.TEACHER, "EMA teacher backbone");
    Export student = new Export(Export.MAIN, ExportRole.STUDENT, "student backbone");
    return settings.exportTeacher()
        ? List.of(teacher, new Export("model-student", ExportRole.STUDENT, student.description()))
        : List.of(student, new Export("model-teacher", ExportRole.TEACHER, teacher.description()));
  }

  @Override
  public List<MethodState> state() {
    return List.of(
        new MethodState("teacher", "EMA teacher pipeline (backbone and both heads), momentum on a cosine to 1"),
        new MethodState("centres", "DINO's two centres (global and local): running means of the teacher's outputs"));
  }

  @Override
  public List<Synchronisation> synchronisation() {
    return List.of(
        new Synchronisation("teacher", Collective.IDENTICAL_UPDATE, "after each optimizer step every worker moves"
            + " its teacher towards the same (all-reduced) student with the same momentum"),
        new Synchronisation("centres", Collective.ALL_REDUCE_MEAN, "the batch means of the teacher's global and"
            + " local outputs are averaged over workers before the centres' moving average, as DINO's update_center"
            + " all-reduces them; otherwise each worker's centres drift apart"));
  }

  @Override
  public MethodSetup setup(AsitRecipe settings, MethodContext context) {
    AudioTransformerConfig c = context.vitConfig();
    AsitConfig asit = settings.toConfig(context.steps());
    context.requireLayout(c, NormPlacement.PRE_LN, name(), "the pre-LN ViT with one CLS token (vit-*)");
    AsitPipeline student = new AsitPipeline(context.manager(), c.withRegularisation(0, 0,
        settings.dropPathOrDefault()), asit, context.seed());
    context.loadInit(student.backbone());
    AsitObjective objective = new AsitObjective(student, new AsitPipeline(context.manager(), c, asit,
        context.seed() + 2), asit, context.steps(), context.weightDecay(), context.seed());
    return new MethodSetup(objective, Map.of(ExportRole.STUDENT, student.backbone(), ExportRole.TEACHER,
        objective.teacherModel().backbone()), "two " + settings.cropFramesOrDefault()
            + "-frame crops per clip, GMML-corrupted");
  }
}
