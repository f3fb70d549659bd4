package dev.earshot.nn;

import dev.earshot.tensor.Tensor;
import dev.earshot.tensor.DType;
import dev.earshot.io.CheckpointFormatException;
import dev.earshot.io.HostTensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Moves a module's parameters to and from host tensors keyed by their dotted paths. */
public final class StateDict {
  private StateDict() {}

  /** Every parameter of {@code module} copied to the heap, in registration order. */
  public static Map<String, HostTensor> of(Module module) {
    Map<String, HostTensor> out = new LinkedHashMap<>();
    for (Map.Entry<String, Parameter> e : module.namedParameters().entrySet()) {
      Tensor a = e.getValue().array();
      out.put(e.getKey(), HostTensor.ofFloats(a.toType(DType.FLOAT32, false).toFloatArray(), a.getShape().getShape()));
    }
    return out;
  }

  /**
   * Loads {@code weights} into {@code module}. Strict: every parameter must be present with the same shape
   * and no key may be left over. {@code file} names the source in errors.
   */
  public static void load(Module module, Map<String, HostTensor> weights, Path file) {
    requireFits(module, weights, file);
    for (Map.Entry<String, Parameter> e : module.namedParameters().entrySet()) {
      e.getValue().set(weights.get(e.getKey()).asFloats());
    }
  }

  /**
   * Checks, without loading anything, that {@code weights} has exactly {@code module}'s parameters with their
   * shapes; the error names what is missing, unexpected or mis-shaped.
   */
  public static void requireFits(Module module, Map<String, HostTensor> weights, Path file) {
    Map<String, Parameter> params = module.namedParameters();
    List<String> missing = new ArrayList<>();
    List<String> unexpected = new ArrayList<>();
    for (String k : params.keySet()) {
      if (!weights.containsKey(k)) {
        missing.add(k);
      }
    }
    for (String k : weights.keySet()) {
      if (!params.containsKey(k)) {
        unexpected.add(k);
      }
    }
    if (!missing.isEmpty() || !unexpected.isEmpty()) {
      throw new CheckpointFormatException(file, "weights do not fit the model: missing " + abbreviate(missing)
          + ", unexpected " + abbreviate(unexpected));
    }
    for (Map.Entry<String, Parameter> e : params.entrySet()) {
      HostTensor t = weights.get(e.getKey());
      long[] expected = e.getValue().array().getShape().getShape();
      if (!Arrays.equals(expected, t.shape())) {
        throw new CheckpointFormatException(file, "weight '" + e.getKey() + "' has shape " + Arrays.toString(t.shape())
            + ", the model needs " + Arrays.toString(expected));
      }
    }
  }

  private static String abbreviate(List<String> keys) {
    if (keys.isEmpty()) {
      return "none";
    }
    return keys.size() <= 8 ? keys.toString() : keys.subList(0, 8) + " and " + (keys.size() - 8) + " more";
  }
}
