package dev.earshot.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures;
import dev.earshot.recipe.PretrainingMethods;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dependency rules of docs/ARCHITECTURE.md, checked on earshot-core's classes. {@link #MAY_IMPORT} is the
 * table of edges: a layer is a package with its subpackages, and it may import only the layers listed (and the
 * root package's errors and version, which every layer may). A new package gets a line here and in
 * ARCHITECTURE.md; a new edge is a decision to make in both places.
 */
class LayerTest {
  private static final String ROOT = "dev.earshot.";

  /** Layer -> the layers it may import, lowest layers first (mirrors ARCHITECTURE.md, "Dependencies"). */
  static final Map<String, List<String>> MAY_IMPORT = new LinkedHashMap<>();

  static {
    MAY_IMPORT.put("io", List.of());
    MAY_IMPORT.put("tensor", List.of());
    MAY_IMPORT.put("audio", List.of("io"));
    MAY_IMPORT.put("plot", List.of("io"));
    MAY_IMPORT.put("features", List.of("audio"));
    MAY_IMPORT.put("nn", List.of("io", "tensor"));
    MAY_IMPORT.put("data", List.of("audio", "features", "io"));
    MAY_IMPORT.put("model", List.of("audio", "features", "io", "nn", "tensor"));
    MAY_IMPORT.put("interop", List.of("audio", "features", "io", "model", "nn", "tensor"));
    MAY_IMPORT.put("infer", List.of("audio", "features", "io", "model", "nn", "tensor"));
    MAY_IMPORT.put("serve", List.of("audio", "features", "infer", "io", "model", "tensor"));
    MAY_IMPORT.put("train", List.of("data", "io", "nn", "plot", "tensor"));
    MAY_IMPORT.put("eval", List.of("audio", "data", "features", "io", "model", "nn", "plot", "tensor", "train"));
    MAY_IMPORT.put("pretrain", List.of("data", "features", "io", "model", "nn", "tensor", "train"));
    MAY_IMPORT.put("recipe", List.of("audio", "data", "eval", "features", "io", "model", "nn", "plot",
        "pretrain", "tensor", "train"));
    MAY_IMPORT.put("compare", List.of("audio", "data", "eval", "features", "infer", "io", "model", "nn", "plot",
        "pretrain", "recipe", "tensor", "train"));
  }

  private static JavaClasses classes;

  @BeforeAll
  static void importCore() {
    classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS).importPackages("dev.earshot");
  }

  @Test
  void layersImportOnlyTheLayersBelowThem() {
    Architectures.LayeredArchitecture layers = Architectures.layeredArchitecture().consideringOnlyDependenciesInLayers();
    for (String layer : MAY_IMPORT.keySet()) {
      layers = layers.layer(layer).definedBy(ROOT + layer + "..");
    }
    for (Map.Entry<String, List<String>> e : MAY_IMPORT.entrySet()) {
      layers = e.getValue().isEmpty() ? layers.whereLayer(e.getKey()).mayNotAccessAnyLayer()
          : layers.whereLayer(e.getKey()).mayOnlyAccessLayers(e.getValue().toArray(new String[0]));
    }
    layers.because("docs/ARCHITECTURE.md fixes which package may import which").check(classes);
  }

  @Test
  void everyPackageOfCoreHasALayer() {
    for (JavaClass c : classes) {
      String p = c.getPackageName();
      boolean layered = MAY_IMPORT.keySet().stream().anyMatch(l -> (p + ".").startsWith(ROOT + l + "."));
      assertThat(p.equals("dev.earshot") || layered)
          .as("%s has a layer (add its package to LayerTest.MAY_IMPORT and to docs/ARCHITECTURE.md)", c.getName())
          .isTrue();
    }
  }

  @Test
  void packagesHaveNoCycles() {
    slices().matching("dev.earshot.(**)").should().beFreeOfCycles().check(classes);
  }

  @Test
  void onlyTheRegistryNamesAMethod() {
    noClasses().that().resideOutsideOfPackage(ROOT + "pretrain.*..")
        .and().doNotHaveFullyQualifiedName(PretrainingMethods.class.getName())
        .should().dependOnClassesThat().resideInAPackage(ROOT + "pretrain.*..")
        .because("methods are reached through recipe.PretrainingMethods, so adding one is a package and a line")
        .check(classes);
  }
}
