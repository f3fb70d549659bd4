package dev.earshot.recipe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.earshot.tensor.TensorScope;
import dev.earshot.ConfigException;
import dev.earshot.model.ModelRegistry;
import dev.earshot.pretrain.Export;
import dev.earshot.pretrain.MethodContext;
import dev.earshot.pretrain.MethodSetup;
import dev.earshot.pretrain.MethodState;
import dev.earshot.pretrain.PretrainingMethod;
import dev.earshot.pretrain.Synchronisation;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The registry's entries say what their runs really build: recipes, families, exports, state. */
class PretrainingMethodsTest {
  @Test
  void namesAreUniqueAndEveryMethodsRecipesBindToItsFamily() {
    assertThat(new HashSet<>(PretrainingMethods.names())).hasSameSizeAs(PretrainingMethods.all());
    for (PretrainingMethod<?> m : PretrainingMethods.all()) {
      for (String name : List.of(m.profile().cpuRecipe(), m.profile().hourRecipe(), m.profile().publishedRecipe())) {
        PretrainRecipe r = Recipes.pretrain(Recipes.load(name), name);
        assertThat(r.pretrainingMethod()).as(name).isSameAs(m);
        assertThat(ModelRegistry.family(r.model())).as(name).isEqualTo(m.profile().family());
        assertThat(r.settings(m)).as(name).isInstanceOf(m.profile().settingsType());
      }
      assertThat(PretrainingMethods.get(m.name())).isSameAs(m);
      assertThat(m.profile().hourRecipe()).isEqualTo(m.name() + "-cpu-hour");
      assertThat(Recipes.pretrain(Recipes.load(m.profile().hourRecipe()), m.name()).readout())
          .as("the one-hour recipe records its frozen readout").isNotNull();
      assertThat(m.profile().metricKeys()).contains("loss");
    }
    assertThatThrownBy(() -> PretrainingMethods.get("byol")).isInstanceOf(ConfigException.class)
        .hasMessageContaining(String.join(", ", PretrainingMethods.names()));
  }

  /** Every method at its CPU recipe's micro size: the state it declares is what its objective checkpoints. */
  @Test
  void declaredStateExportsAndSynchronisationMatchTheObjective() {
    for (PretrainingMethod<?> m : PretrainingMethods.all()) {
      check(m, Recipes.pretrain(Recipes.load(m.profile().cpuRecipe()), m.profile().cpuRecipe()));
    }
  }

  private static <S> void check(PretrainingMethod<S> m, PretrainRecipe recipe) {
    S settings = recipe.settings(m);
    try (TensorScope manager = TensorScope.newBaseScope()) {
      MethodSetup setup = m.setup(settings, new MethodContext(recipe.model(), m.modelFrames(settings, 96), 10, 1,
          recipe.weightDecayOrDefault(), manager, null, null));
      List<String> state = m.state().stream().map(MethodState::module).toList();
      assertThat(setup.objective().frozen().keySet()).as(m.name()).containsExactlyInAnyOrderElementsOf(state);
      List<Export> exports = m.exports(settings);
      assertThat(exports.get(0).folder()).as(m.name()).isEqualTo(Export.MAIN);
      assertThat(exports).extracting(Export::folder).doesNotHaveDuplicates();
      for (Export e : exports) {
        assertThat(setup.encoders()).as(m.name() + " " + e.folder()).containsKey(e.role());
      }
      for (Synchronisation s : m.synchronisation()) {
        if (s.collective() != Synchronisation.Collective.PER_WORKER) {
          assertThat(state).as(m.name() + " synchronises state it declares").contains(s.subject());
        }
      }
      assertThat(setup.student().depth()).isPositive();
    }
  }

  @Test
  void sectionsBindStrictlyAndTheDescriptionCarriesEverySection() {
    Map<String, Object> tree = new LinkedHashMap<>(Recipes.load("eat-cpu"));
    tree.put("eat", Map.of("clonez", 3));
    assertThatThrownBy(() -> Recipes.pretrain(tree, "recipe t")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("recipe t: unknown key 'eat.clonez'");
    tree.remove("eat");
    tree.put("masks", 3);
    assertThatThrownBy(() -> Recipes.pretrain(tree, "recipe t")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("unknown key 'masks'").hasMessageContaining("ssmast").hasMessageNotContaining("settings");
    tree.remove("masks");
    PretrainRecipe r = Recipes.pretrain(tree, "recipe t");
    assertThat(r.toMap()).containsKeys(PretrainingMethods.names().toArray(new String[0]))
        .doesNotContainKey("settings");
    assertThat(r.weightDecayOrDefault()).isEqualTo(0.05); // eat-cpu's own
  }

  @Test
  void valuesNoRunCouldUseAreRejectedWithTheirKey() {
    Map<String, Object> tree = new LinkedHashMap<>(Recipes.load("ssast-cpu"));
    for (var bad : List.of(Map.entry("batchSize", (Object) 0), Map.entry("lr", -1e-3), Map.entry("beta2", 1.0),
        Map.entry("steps", 0), Map.entry("warmupSteps", -5))) {
      Map<String, Object> t = new LinkedHashMap<>(tree);
      t.put(bad.getKey(), bad.getValue());
      assertThatThrownBy(() -> Recipes.pretrain(t, "recipe t")).isInstanceOf(ConfigException.class)
          .hasMessageStartingWith("recipe t: " + bad.getKey() + ": must")
          .hasMessageContaining("got " + bad.getValue());
    }
    Map<String, Object> ft = new LinkedHashMap<>(Recipes.load("finetune-cpu"));
    ft.put("mixup", 1.5);
    assertThatThrownBy(() -> Recipes.bind(ft, FineTuneRecipe.class, "recipe f")).isInstanceOf(ConfigException.class)
        .hasMessage("recipe f: mixup: must lie in [0, 1], got 1.5");
    ft.put("mixup", 0);
    ft.put("layerDecay", 0);
    assertThatThrownBy(() -> Recipes.bind(ft, FineTuneRecipe.class, "recipe f")).hasMessageContaining("layerDecay");
    // every built-in recipe passes
    for (String name : List.of("ssast-cpu", "eat-cpu", "asit-cpu", "ssmast-cpu", "ssast-base-patch", "eat-base",
        "asit-base-32k", "ssmast-small", "ssast-cpu-hour", "eat-cpu-hour", "asit-cpu-hour", "ssmast-cpu-hour")) {
      assertThat(Recipes.pretrain(Recipes.load(name), name).method()).isNotNull();
    }
    for (String name : List.of("finetune-cpu", "finetune-esc50", "finetune-eat-esc50", "finetune-eat-as20k",
        "finetune-speechcommands")) {
      assertThat(Recipes.bind(Recipes.load(name), FineTuneRecipe.class, name)).isNotNull();
    }
  }
}
