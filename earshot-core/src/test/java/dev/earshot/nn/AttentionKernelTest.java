package dev.earshot.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.earshot.tensor.Autocast;
import dev.earshot.tensor.Device;
import dev.earshot.tensor.GradientTape;
import dev.earshot.tensor.Precision;
import dev.earshot.tensor.Shape;
import dev.earshot.tensor.Tensor;
import dev.earshot.tensor.TensorScope;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The attention kernel choice: fused by default, separate for a bf16 CPU pass that records gradients or is short. */
class AttentionKernelTest {
  @Test
  void autoFusesExceptForBf16TrainingOnTheCpu() {
    try (TensorScope s = TensorScope.newBaseScope()) {
      Tensor q = s.randomNormal(new Shape(1, 2, 128, 4), 0, 1, 1); // (B, H, N, d)
      Tensor shortQ = s.randomNormal(new Shape(1, 2, 50, 4), 0, 1, 1);
      assertThat(Attention.Kernel.AUTO.fusedFor(q)).as("inference, fp32").isTrue();
      try (GradientTape tape = GradientTape.record()) {
        assertThat(Attention.Kernel.AUTO.fusedFor(q)).as("training, fp32").isTrue();
      }
      assumeThat(Autocast.cpuHasBf16()).as("this CPU has bf16").isTrue();
      try (Autocast cast = Autocast.of(Device.CPU, Precision.BF16)) {
        assertThat(Attention.Kernel.AUTO.fusedFor(q)).as("inference, bf16").isTrue();
        assertThat(Attention.Kernel.AUTO.fusedFor(shortQ)).as("inference, bf16, 50 tokens").isFalse();
        try (GradientTape tape = GradientTape.record()) {
          assertThat(Attention.Kernel.AUTO.fusedFor(q)).as("training, bf16").isFalse();
          assertThat(Attention.Kernel.FUSED.fusedFor(q)).as("forced fused").isTrue();
        }
      }
      assertThat(Attention.Kernel.AUTO.fusedFor(q)).as("after the bf16 block").isTrue();
    }
  }

  @Test
  void bothKernelsComputeTheSameAttention() {
    try (TensorScope s = TensorScope.newBaseScope()) {
      Attention attention = new Attention(s, 16, 2, true, 0, new Random(3));
      Tensor x = s.randomNormal(new Shape(2, 7, 16), 0, 1, 5);
      String previous = System.getProperty("earshot.attention");
      try {
        System.setProperty("earshot.attention", "fused");
        float[] fused = attention.forward(x).toFloatArray();
        System.setProperty("earshot.attention", "separate");
        float[] separate = attention.forward(x).toFloatArray();
        for (int i = 0; i < fused.length; i++) {
          assertThat(separate[i]).isCloseTo(fused[i], org.assertj.core.data.Offset.offset(1e-5f));
        }
      } finally {
        if (previous == null) {
          System.clearProperty("earshot.attention");
        } else {
          System.setProperty("earshot.attention", previous);
        }
      }
    }
  }

  @Test
  void anUnknownChoiceIsRefused() {
    String previous = System.getProperty("earshot.attention");
    try {
      System.setProperty("earshot.attention", "flash");
      org.assertj.core.api.Assertions.assertThatThrownBy(Attention.Kernel::current)
          .hasMessageContaining("auto, fused or separate").hasMessageContaining("flash");
    } finally {
      if (previous == null) {
        System.clearProperty("earshot.attention");
      } else {
        System.setProperty("earshot.attention", previous);
      }
    }
  }
}
