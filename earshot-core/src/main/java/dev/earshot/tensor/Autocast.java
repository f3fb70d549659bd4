package dev.earshot.tensor;

import dev.earshot.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.pytorch.global.torch;

/**
 * Runs the calling thread's matrix products in a lower precision while open (libtorch's autocast):
 * {@code linear}, {@code matmul}, convolutions and attention in bfloat16, everything numerically sensitive
 * (norms, softmax, reductions, losses) in float32. Parameters stay float32; their casts are not cached, so
 * an optimizer update is seen by the next forward pass. {@link Precision#FP32} opens a no-op block.
 */
public final class Autocast implements AutoCloseable {
  private final Device device;
  private final boolean active;
  private final boolean previousEnabled;
  private final torch.ScalarType previousType;

  private Autocast(Device device, Precision precision) {
    Engine.load();
    this.device = device;
    this.active = precision == Precision.BF16;
    torch.DeviceType type = device.nativeType();
    previousEnabled = torch.is_autocast_enabled(type);
    previousType = torch.get_autocast_dtype(type);
    if (active) {
      torch.set_autocast_cache_enabled(false);
      torch.set_autocast_dtype(type, torch.ScalarType.BFloat16);
      torch.set_autocast_enabled(type, true);
    }
  }

  /** Opens a block of {@code precision} on {@code device}; fails clearly where it is not supported. */
  public static Autocast of(Device device, Precision precision) {
    if (precision == Precision.BF16) {
      checkSupported(device);
    }
    return new Autocast(device, precision);
  }

  /** Fails with a clear message when bf16 cannot be used on {@code device}. */
  public static void checkSupported(Device device) {
    if (device.kind() == Device.Kind.CPU && !cpuHasBf16()) {
      throw new ConfigException("precision: bf16 needs a CPU with AVX512-BF16 or AMX (this CPU has neither); "
          + "use --precision fp32");
    }
  }

  /** True while the calling thread has a bf16 autocast block open on {@code device}. */
  public static boolean isBf16(Device device) {
    Engine.prepareThread();
    torch.DeviceType type = device.nativeType();
    // JavaCPP returns a fresh enum instance: compare the values, not the references
    return torch.is_autocast_enabled(type)
        && torch.get_autocast_dtype(type).value == torch.ScalarType.BFloat16.value;
  }

  /** True when the CPU advertises native bfloat16 arithmetic (AVX512-BF16 or AMX-BF16). */
  public static boolean cpuHasBf16() {
    try {
      String info = Files.readString(Path.of("/proc/cpuinfo"));
      return info.contains("avx512_bf16") || info.contains("amx_bf16");
    } catch (java.io.IOException | RuntimeException e) {
      return false;
    }
  }

  @Override
  public void close() {
    if (active) {
      torch.DeviceType type = device.nativeType();
      torch.set_autocast_enabled(type, previousEnabled);
      torch.set_autocast_dtype(type, previousType);
    }
  }
}
