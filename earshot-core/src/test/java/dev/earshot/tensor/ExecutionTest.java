package dev.earshot.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.earshot.ConfigException;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

/** Devices and precisions: parsing, clear errors where unavailable, bf16 autocast on and off again. */
class ExecutionTest {
  @Test
  void devicesParse() {
    assertThat(Device.parse("cpu")).isEqualTo(Device.CPU);
    assertThat(Device.parse("CUDA")).isEqualTo(new Device(Device.Kind.CUDA, 0));
    assertThat(Device.parse("cuda:3")).isEqualTo(new Device(Device.Kind.CUDA, 3));
    assertThat(Device.parse("cuda:3").toString()).isEqualTo("cuda:3");
    assertThatThrownBy(() -> Device.parse("tpu")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("'tpu' is not a device");
    assertThatThrownBy(() -> Device.parse("cuda:x")).isInstanceOf(ConfigException.class);
    assertThat(Precision.parse("BF16")).isEqualTo(Precision.BF16);
    assertThatThrownBy(() -> Precision.parse("fp8")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("use fp32 or bf16");
  }

  @Test
  void aMissingGpuIsAClearError() {
    Engine.load();
    assumeTrue(!torch.cuda_is_available(), "this machine has a GPU");
    assertThatThrownBy(() -> Execution.parse("cuda", "fp32").checkAvailable()).isInstanceOf(ConfigException.class)
        .hasMessageContaining("cuda:0 was asked for").hasMessageContaining("-Pgpu");
  }

  @Test
  void bf16AutocastRunsMatrixProductsInBf16AndEndsWithItsBlock() {
    assumeTrue(Autocast.cpuHasBf16(), "this CPU has no native bf16");
    try (TensorScope scope = TensorScope.newBaseScope()) {
      Tensor x = scope.randomNormal(new Shape(4, 8), 0, 1, 1);
      Tensor w = scope.randomNormal(new Shape(3, 8), 0, 1, 2);
      try (Autocast bf16 = Execution.parse("cpu", "bf16").checkAvailable().autocast()) {
        Tensor y = x.linear(w, null);
        assertThat(y.getDataType()).isEqualTo(DType.BFLOAT16);
        assertThat(y.softmax(-1).sum().getFloat()).isCloseTo(4f, org.assertj.core.data.Offset.offset(0.05f));
      }
      assertThat(x.linear(w, null).getDataType()).isEqualTo(DType.FLOAT32);
      try (Autocast fp32 = Execution.CPU.autocast()) {
        assertThat(x.linear(w, null).getDataType()).isEqualTo(DType.FLOAT32);
      }
    }
  }

  @Test
  void scopesFreeWhatTheyOwnAndTemporariesFreeWhatABlockCreated() {
    try (TensorScope scope = TensorScope.newBaseScope()) {
      Tensor kept = scope.ones(new Shape(3));
      TensorScope sub = scope.newSubScope();
      Tensor a = sub.zeros(new Shape(2));
      assertThat(scope.liveTensors()).isEqualTo(2);
      Tensor moved = a.add(1).attach(scope);
      sub.close();
      assertThat(a.isClosed()).isTrue();
      assertThat(moved.isClosed()).isFalse();
      try (Temporaries t = Temporaries.open()) {
        Tensor temp = kept.mul(2);
        kept.addi(temp);
        t.keep(moved.mul(3).attach(scope));
        assertThat(temp.isClosed()).isFalse();
      }
      assertThat(kept.toFloatArray()).containsExactly(3, 3, 3);
      assertThat(scope.liveTensors()).isEqualTo(3);
    }
  }

  @Test
  void indexingFollowsNumpy() {
    try (TensorScope scope = TensorScope.newBaseScope()) {
      Tensor x = scope.create(new float[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, new Shape(2, 3, 2));
      assertThat(x.get(":, 1, :").toFloatArray()).containsExactly(2, 3, 8, 9);
      assertThat(x.get(":, {}:, 1", 1).toFloatArray()).containsExactly(3, 5, 9, 11);
      assertThat(x.get("-1, :-1, 0").toFloatArray()).containsExactly(6, 8);
      assertThat(x.get(1).getShape()).isEqualTo(new Shape(3, 2));
      x.set(Index.of(":, 0, :"), scope.zeros(new Shape(2, 2)));
      assertThat(x.get(":, 0, :").toFloatArray()).containsOnly(0);
      assertThat(x.repeat(0, 2).getShape()).isEqualTo(new Shape(4, 3, 2));
      assertThat(x.transpose(2, 0, 1).getShape()).isEqualTo(new Shape(2, 2, 3));
      assertThat(x.transpose().getShape()).isEqualTo(new Shape(2, 3, 2));
    }
  }
}
