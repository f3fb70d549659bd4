package dev.earshot.tensor;

/** Loads libtorch and computes 1 + 2 (run by {@link FirstNativeLoadTest} in a JVM with an empty native cache). */
public final class NativeLoadProbe {
  private NativeLoadProbe() {}

  public static void main(String[] args) {
    try (TensorScope scope = TensorScope.newBaseScope()) {
      float[] sum = scope.create(new float[] {1, 2}, new Shape(2)).sum().toFloatArray();
      System.out.println("sum " + sum[0]);
    }
  }
}
