package dev.earshot.train;

import dev.earshot.io.HostTensor;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A process that saves the checkpoint of a step and kills itself ({@code Runtime.halt}, as abrupt as kill -9:
 * no finally blocks, no shutdown hooks) just before file operation number {@code killAt} of the save.
 * Arguments: ROOT STEP KILL_AT (-1: never; then it prints the number of operations).
 */
final class KillDuringSave {
  private KillDuringSave() {}

  /** Deterministic weights and optimizer moments for a step. */
  static Map<String, HostTensor> weights(long step) {
    Map<String, HostTensor> w = new LinkedHashMap<>();
    float[] a = new float[257];
    for (int i = 0; i < a.length; i++) {
      a[i] = step * 1000 + i;
    }
    w.put("encoder.blocks.0.weight", HostTensor.ofFloats(a, a.length));
    w.put("encoder.step", HostTensor.ofLongs(new long[] {step}, 1));
    return w;
  }

  static Checkpoint.State state(long step) {
    return new Checkpoint.State(step, 7, Map.of("recipe", "kill-test"));
  }

  public static void main(String[] args) throws Exception {
    Path root = Path.of(args[0]);
    long step = Long.parseLong(args[1]);
    int killAt = Integer.parseInt(args[2]);
    int[] ops = {0};
    Checkpoint.saveFiles(root, weights(step), weights(step + 100), state(step), op -> {
      ops[0] = op + 1;
      if (op == killAt) {
        Runtime.getRuntime().halt(137);
      }
    });
    System.out.println("operations=" + ops[0]);
  }
}
