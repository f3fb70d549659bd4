package dev.earshot.nn;

import dev.earshot.io.CheckpointFormatException;
import dev.earshot.io.HostTensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Copies pretrained weights into a model whose extra parts (a new classifier head) keep their fresh
 * initialisation. Every parameter not excluded by {@code keepFresh} must come from the source, with the same
 * shape; source tensors the model has no place for are reported, not silently dropped.
 */
public final class WeightTransfer {
  private WeightTransfer() {}

  /** Loads {@code weights} into {@code target}; returns the source keys that were not used. */
  public static List<String> load(Module target, Map<String, HostTensor> weights, Predicate<String> keepFresh,
      Path source) {
    Map<String, Parameter> params = target.namedParameters();
    List<String> missing = new ArrayList<>();
    for (Map.Entry<String, Parameter> e : params.entrySet()) {
      if (keepFresh.test(e.getKey())) {
        continue;
      }
      HostTensor t = weights.get(e.getKey());
      if (t == null) {
        missing.add(e.getKey());
        continue;
      }
      long[] shape = e.getValue().array().getShape().getShape();
      if (!Arrays.equals(shape, t.shape())) {
        throw new CheckpointFormatException(source, "weight '" + e.getKey() + "' has shape " + Arrays.toString(t.shape())
            + ", the model needs " + Arrays.toString(shape));
      }
      e.getValue().set(t.asFloats());
    }
    if (!missing.isEmpty()) {
      throw new CheckpointFormatException(source, "pretrained weights lack " + missing);
    }
    List<String> unused = new ArrayList<>();
    for (String k : weights.keySet()) {
      if (!params.containsKey(k) || keepFresh.test(k)) {
        unused.add(k);
      }
    }
    return unused;
  }
}
