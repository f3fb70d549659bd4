package dev.earshot.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.earshot.ConfigException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Plans, tasks and the table: typed, validated, and rendered for the evaluations chosen. */
class PlanTest {
  private static final List<Task> TASKS = List.of(Task.parse("events=folder:train"));

  private static Plan plan(List<String> methods, List<Evaluation> evaluations) {
    return new Plan(methods, "unlabeled:pool", TASKS, "micro", 96, null, 10, 1, 7, 1, evaluations);
  }

  @Test
  void scratchExpandsToEveryComparedArchitectureAtItsPlace() {
    List<Entry> entries = plan(List.of("eat", "scratch", "ssmast"), null).entries();
    assertThat(entries).extracting(Entry::name).containsExactly("eat", "scratch-eat-micro", "scratch-mast-micro",
        "ssmast");
    assertThat(entries).extracting(Entry::methodName).containsExactly("eat", "scratch", "scratch", "ssmast");
    assertThat(plan(List.of("scratch"), null).entries()).extracting(Entry::model)
        .containsExactly("ssast-micro-patch"); // the default method's architecture
  }

  @Test
  void theBaselineRowAndTheOneHourRecipesTakeTheirModelLengthAndReadoutFromTheRecipes() {
    List<Entry> entries = new Plan(List.of("eat", "scratch", "logmel"), "unlabeled:pool", TASKS, "micro", 96, null,
        (Long) null, 1, 7, 1, null, RecipeScale.CPU_HOUR).entries();
    Map<String, Object> recipe = dev.earshot.recipe.Recipes.load("eat-cpu-hour");
    assertThat(entries).extracting(Entry::name).containsExactly("eat", "scratch-" + recipe.get("model"), "logmel");
    Entry.Pretrained eat = (Entry.Pretrained) entries.get(0);
    assertThat(eat.frames()).isEqualTo(recipe.get("frames"));
    assertThat(eat.readout()).isNotNull();
    assertThat(((Entry.Scratch) entries.get(1)).readout()).as("scratch is read like its method")
        .isEqualTo(eat.readout());
    assertThat(entries.get(2)).isInstanceOf(Entry.Baseline.class);
    assertThat(plan(List.of("ssast"), null).entries().get(0).frames()).isEqualTo(96);
    assertThatThrownBy(() -> new Plan(List.of("ssast"), "p", TASKS, "micro", 96, null, (Long) null, 1, 7, 1, null,
        RecipeScale.CPU)).hasMessageContaining("--budget-steps");
    assertThat(RecipeScale.parse("cpu-hour")).isEqualTo(RecipeScale.CPU_HOUR);
    assertThatThrownBy(() -> RecipeScale.parse("day")).hasMessageContaining("cpu or cpu-hour");
  }

  @Test
  void badPlansAndTasksAreNamed() {
    assertThatThrownBy(() -> plan(List.of("ssast", "byol"), null)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("--methods: unknown 'byol'");
    assertThatThrownBy(() -> plan(List.of("ssast", "ssast"), null)).hasMessageContaining("listed twice");
    assertThatThrownBy(() -> new Plan(List.of("ssast"), "p", TASKS, "large", 96, null, 10, 1, 7, 1, null))
        .hasMessageContaining("micro, mini, tiny, small, base");
    assertThatThrownBy(() -> Task.withTests(TASKS, List.of("speech=folder:x"))).hasMessageContaining(
        "no --task is called 'speech'");
    assertThatThrownBy(() -> Task.withFrames(TASKS, List.of("events=long"))).hasMessageContaining("NAME=N");
    assertThatThrownBy(() -> Evaluation.parse("zero-shot")).hasMessageContaining("probe, finetune, frozen, frames");
    List<Task> tasks = Task.withFrames(Task.withTests(TASKS, List.of("events=folder:test")), List.of("events=512"));
    assertThat(tasks.get(0)).isEqualTo(new Task("events", "folder:train", "folder:test", 512));
    assertThat(tasks.get(0).framesOr(96)).isEqualTo(512);
  }

  @Test
  void evaluationsKeepTableOrderAndTheTableShowsOnlyThoseThatRan() {
    Plan p = plan(List.of("ssast"), List.of(Evaluation.FRAMES, Evaluation.PROBE));
    assertThat(p.evaluations()).containsExactly(Evaluation.PROBE, Evaluation.FRAMES);
    assertThat(plan(List.of("ssast"), null).evaluations()).containsExactly(Evaluation.values());
    Row row = new Row("ssast", "ssast-micro-patch", 10, 2.0, Map.of("events", Map.of(
        "probe", new Score("accuracy", 0.5, 0.1), "frames", new Score("accuracy", 0.25, 0))), List.of());
    Row baseline = new Row("logmel", "log-mel mean+std", 0, 0, Map.of("events", Map.of()), List.of());
    String table = ReportFiles.markdown(new Report(p, List.of("-4", "4"), List.of(row, baseline)));
    assertThat(table).contains("| method | model | pretraining | events probe | events frozen frames |",
        "|---|---|---|---|---|\n", "| ssast | ssast-micro-patch | 10 steps, 2 s | 50.0 ± 10.0 | 25.0 ± 0.0 |",
        "| logmel | log-mel mean+std | none | — | — |")
        .doesNotContain("fine-tune |");
  }
}
