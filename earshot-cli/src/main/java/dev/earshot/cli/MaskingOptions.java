package dev.earshot.cli;

import dev.earshot.ConfigException;
import dev.earshot.pretrain.MethodOption;
import dev.earshot.pretrain.PretrainingMethod;
import dev.earshot.recipe.PretrainingMethods;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine.Option;

/**
 * The masking flags several methods share under one name ({@link MethodOption}); each method maps them to keys
 * of its own recipe section, and a flag the chosen method does not take is an error naming who takes it.
 */
final class MaskingOptions {
  @Option(names = "--mask-ratio", paramLabel = "R", description = "Share of patches masked (SSAST's maskRatio,"
      + " EAT's maskFraction; default: the recipe's).")
  Double maskRatio;

  @Option(names = "--mask-count", paramLabel = "N", description = "Patches masked per clip (SSAST).")
  Integer maskCount;

  @Option(names = "--clones", paramLabel = "K", description = "Masked copies of each clip (EAT).")
  Integer clones;

  private static final Map<MethodOption, String> FLAGS = new EnumMap<>(Map.of(MethodOption.MASK_RATIO,
      "--mask-ratio", MethodOption.MASK_COUNT, "--mask-count", MethodOption.CLONES, "--clones"));

  /** The given flags as {@code method}'s section keys (empty when none was given). */
  Map<String, Object> section(PretrainingMethod<?> method) {
    Map<MethodOption, Object> given = new EnumMap<>(MethodOption.class);
    put(given, MethodOption.MASK_RATIO, maskRatio);
    put(given, MethodOption.MASK_COUNT, maskCount);
    put(given, MethodOption.CLONES, clones);
    List<MethodOption> refused = new ArrayList<>(given.keySet());
    refused.removeAll(method.options().keySet());
    if (!refused.isEmpty()) {
      throw new ConfigException(flags(refused) + (refused.size() == 1 ? " is " : " are ") + owners(refused) + "; "
          + (method.options().isEmpty() ? method.profile().optionsNote()
              : method.profile().displayName() + " takes " + flags(new ArrayList<>(method.options().keySet()))));
    }
    Map<String, Object> section = new LinkedHashMap<>();
    given.forEach((option, value) -> section.put(method.options().get(option), value));
    return section;
  }

  private static void put(Map<MethodOption, Object> given, MethodOption option, Object value) {
    if (value != null) {
      given.put(option, value);
    }
  }

  private static String flags(List<MethodOption> options) {
    return options.stream().sorted().map(FLAGS::get).collect(Collectors.joining(", "));
  }

  /** "SSAST's", "SSAST's and EAT's": the methods that take any of {@code options}. */
  private static String owners(List<MethodOption> options) {
    return PretrainingMethods.all().stream()
        .filter(m -> options.stream().anyMatch(m.options()::containsKey))
        .map(m -> m.profile().displayName() + "'s").collect(Collectors.joining(" and "));
  }
}
