package dev.earshot.nn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.earshot.tensor.Tensor;
import dev.earshot.tensor.TensorScope;
import dev.earshot.tensor.Shape;
import dev.earshot.tensor.Engine;
import dev.earshot.tensor.GradientTape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Constants multiplied into a differentiable computation must outlive the backward pass. Under DJL 0.35 a
 * scalar operand wrapped a Java buffer that autograd kept reading, so a garbage collection between forward
 * and backward turned gradients into garbage; every tensor is libtorch-owned now. This test forces
 * collections and reuses freed native memory between forward and backward, and checks the gradient stays
 * exact.
 */
class ScalarLifetimeTest {
  @Test
  void gradientsSurviveGarbageCollectionBetweenForwardAndBackward() {
    Engine.disableGradientsForThisThread();
    try (TensorScope manager = TensorScope.newBaseScope()) {
      for (int round = 0; round < 20; round++) {
        try (TensorScope step = manager.newSubScope()) {
          Tensor x = step.create(new float[] {1, 2, 3, 4}, new Shape(4));
          x.setRequiresGradient(true);
          try (GradientTape gc = GradientTape.record()) {
            Tensor y = x.mul(3f).div(0.5f).sum();
            pollute();
            gc.backward(y);
          }
          assertThat(x.getGradient().toFloatArray()).containsOnly(6f);
        }
      }
    }
  }

  /** Collects garbage, then fills freshly allocated native memory with NaN so that freed blocks hold NaN. */
  private static void pollute() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    List<ByteBuffer> junk = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      ByteBuffer b = ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder());
      b.putFloat(0, Float.NaN);
      junk.add(b);
    }
    junk.clear();
  }
}
