package dev.earshot.bench;

import dev.earshot.tensor.Engine;
import dev.earshot.tensor.Shape;
import dev.earshot.tensor.Tensor;
import dev.earshot.tensor.TensorScope;
import java.util.Locale;

/**
 * What a user waits for before the first tensor operation: loading the engine's natives (unpacking them first
 * when JavaCPP's cache is empty) and the first 256 x 256 matrix product. Prints one JSON line.
 *
 * <p>Cold: {@code java -Dorg.bytedeco.javacpp.cachedir=$(mktemp -d) -cp earshot-bench.jar
 * dev.earshot.bench.FirstCallLatency}; warm: the same command again with the same folder.
 */
public final class FirstCallLatency {
  private FirstCallLatency() {}

  public static void main(String[] args) {
    long start = System.nanoTime();
    Engine.load();
    long loaded = System.nanoTime();
    try (TensorScope scope = TensorScope.newBaseScope()) {
      Tensor x = scope.ones(new Shape(256, 256));
      float sum = x.matMul(x).sum().getFloat(); // every entry is 256
      long computed = System.nanoTime();
      if (sum != 256f * 256 * 256) {
        throw new IllegalStateException("wrong product sum " + sum);
      }
      System.out.printf(Locale.ROOT, "{\"load_s\": %.3f, \"first_matmul_s\": %.4f, \"blas\": \"%s\"}%n",
          (loaded - start) / 1e9, (computed - loaded) / 1e9, Engine.blas());
    }
  }
}
