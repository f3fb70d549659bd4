package dev.earshot.nn;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Constants multiplied into a differentiable computation must outlive the backward pass. DJL's
 * {@code mul(Number)} closes its 0-d operand right away while autograd keeps reading it, so a garbage
 * collection between forward and backward turns gradients into garbage; {@link Tensors#times} keeps the
 * operand alive in PyTorch-owned memory. This test forces collections and reuses freed native memory
 * between forward and backward, and checks the gradient stays exact.
 */
class ScalarLifetimeTest {
  @Test
  void gradientsSurviveGarbageCollectionBetweenForwardAndBackward() {
    GradientMode.disableForThisThread();
    try (NDManager manager = NDManager.newBaseManager()) {
      for (int round = 0; round < 20; round++) {
        try (NDManager step = manager.newSubManager()) {
          NDArray x = Tensors.of(step, new float[] {1, 2, 3, 4}, new Shape(4));
          x.setRequiresGradient(true);
          try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray y = Tensors.dividedBy(Tensors.times(x, 3f), 0.5f).sum();
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
