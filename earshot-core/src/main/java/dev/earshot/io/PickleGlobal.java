package dev.earshot.io;

import java.util.List;

/**
 * A reference to a Python global ({@code module.name}) that the restricted unpickler admitted as inert data:
 * configuration classes of fairseq/OmegaConf, argparse namespaces, NumPy scalars. Calling or building it
 * only records the arguments; nothing is ever executed.
 *
 * @param module the Python module
 * @param name the attribute
 */
public record PickleGlobal(String module, String name) {
  /** An instance of an inert global: its constructor arguments and any state set on it. */
  public record Instance(PickleGlobal type, List<Object> args, Object state) {}

  @Override
  public String toString() {
    return module + "." + name;
  }
}
