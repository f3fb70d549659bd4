package dev.earshot.train;

import dev.earshot.nn.Module;
import dev.earshot.nn.Parameter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits a model's parameters into optimizer groups: weight decay only where {@link Parameter#weightDecay()}
 * (not on biases, norms, tokens, positions), and optional layer-wise learning-rate decay by depth.
 *
 * <p>Layer of a parameter: {@code blocks.i.*} is layer i + 1; {@code norm}, {@code head} and anything after the
 * blocks is depth + 1; everything before (patch embedding, tokens, positions, input norm) is layer 0. Its rate is
 * multiplied by decay^(depth + 1 - layer). With {@code blocksOnly} (EAT's rule) only the blocks are decayed
 * and everything else keeps the full rate.
 */
public final class ParamGroups {
  private static final Pattern BLOCK = Pattern.compile("(?:^|.*\\.)blocks\\.(\\d+)\\..*");

  private ParamGroups() {}

  /** Groups for all trainable parameters of {@code modules} (paths prefixed with the module name). */
  public static List<ParamGroup> build(Map<String, Module> modules, double weightDecay, double layerDecay, int depth,
      boolean blocksOnly) {
    Map<String, Map<String, Parameter>> byKey = new LinkedHashMap<>();
    Map<String, double[]> settings = new LinkedHashMap<>();
    for (Map.Entry<String, Module> m : modules.entrySet()) {
      for (Map.Entry<String, Parameter> e : m.getValue().namedParameters().entrySet()) {
        if (!e.getValue().trainable()) {
          continue;
        }
        String path = m.getKey() + "." + e.getKey();
        int layer = layer(e.getKey(), depth);
        double scale = layerDecay == 1.0 ? 1.0 : blocksOnly && (layer == 0 || layer == depth + 1) ? 1.0
            : Math.pow(layerDecay, depth + 1 - layer);
        double wd = e.getValue().weightDecay() ? weightDecay : 0;
        String key = "layer" + layer + (wd > 0 ? "-decay" : "-no_decay");
        byKey.computeIfAbsent(key, k -> new LinkedHashMap<>()).put(path, e.getValue());
        settings.put(key, new double[] {scale, wd});
      }
    }
    List<ParamGroup> groups = new ArrayList<>();
    for (Map.Entry<String, Map<String, Parameter>> e : byKey.entrySet()) {
      double[] s = settings.get(e.getKey());
      groups.add(new ParamGroup(e.getKey(), e.getValue(), s[0], s[1]));
    }
    return groups;
  }

  static int layer(String path, int depth) {
    Matcher m = BLOCK.matcher(path);
    if (m.matches()) {
      return Integer.parseInt(m.group(1)) + 1;
    }
    if (path.startsWith("patch_embed") || path.startsWith("cls_token") || path.startsWith("dist_token")
        || path.startsWith("pos_embed") || path.startsWith("input_norm")) {
      return 0;
    }
    return depth + 1;
  }
}
