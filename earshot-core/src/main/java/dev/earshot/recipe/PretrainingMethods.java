package dev.earshot.recipe;

import dev.earshot.ConfigException;
import dev.earshot.pretrain.PretrainingMethod;
import dev.earshot.pretrain.asit.AsitMethod;
import dev.earshot.pretrain.eat.EatMethod;
import dev.earshot.pretrain.ssast.SsastMethod;
import dev.earshot.pretrain.ssmast.SsmastMethod;
import java.util.List;

/**
 * The registry of pretraining methods: the one list the CLI, the demo, pretraining and the comparison iterate
 * over. A new method is a package with its {@link PretrainingMethod} and one line here (see
 * docs/ARCHITECTURE.md, "Adding a method").
 */
public final class PretrainingMethods {
  private static final List<PretrainingMethod<?>> ALL = List.of(
      new SsastMethod(),
      new EatMethod(),
      new AsitMethod(),
      new SsmastMethod());

  private PretrainingMethods() {}

  /** Every method, in the order of tables and help texts; the first is the default. */
  public static List<PretrainingMethod<?>> all() {
    return ALL;
  }

  /** The method used when none is named (the first registered). */
  public static PretrainingMethod<?> defaultMethod() {
    return ALL.get(0);
  }

  /** Every method's name, in registry order. */
  public static List<String> names() {
    return ALL.stream().map(PretrainingMethod::name).toList();
  }

  /** True when {@code name} is a registered method. */
  public static boolean contains(String name) {
    return ALL.stream().anyMatch(m -> m.name().equals(name));
  }

  /** The method called {@code name}. */
  public static PretrainingMethod<?> get(String name) {
    for (PretrainingMethod<?> m : ALL) {
      if (m.name().equals(name)) {
        return m;
      }
    }
    throw new ConfigException("method: unknown '" + name + "' (" + String.join(", ", names()) + ")");
  }
}
