package dev.earshot.tensor;

import dev.earshot.ConfigException;
import java.util.Locale;
import org.bytedeco.pytorch.global.torch;

/**
 * Where tensors live and kernels run: the CPU, or CUDA device {@code index}. Written {@code cpu}, {@code cuda}
 * (= {@code cuda:0}) or {@code cuda:N} on the command line.
 */
public record Device(Kind kind, int index) {
  /** The device families earshot can run on. */
  public enum Kind { CPU, CUDA }

  public static final Device CPU = new Device(Kind.CPU, 0);

  public Device {
    if (index < 0) {
      throw new IllegalArgumentException("negative device index " + index);
    }
  }

  /** Parses {@code cpu}, {@code cuda} or {@code cuda:N}. */
  public static Device parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.equals("cpu")) {
      return CPU;
    }
    if (t.equals("cuda") || t.equals("gpu")) {
      return new Device(Kind.CUDA, 0);
    }
    if (t.startsWith("cuda:")) {
      try {
        return new Device(Kind.CUDA, Integer.parseInt(t.substring(5)));
      } catch (NumberFormatException e) {
        // fall through to the error below
      }
    }
    throw new ConfigException("device: '" + text + "' is not a device; use cpu, cuda or cuda:N");
  }

  /** Fails with a clear message when this device cannot be used in this process. */
  public Device checkAvailable() {
    Engine.load();
    if (kind == Kind.CUDA) {
      if (!torch.cuda_is_available()) {
        throw new ConfigException("device: " + this + " was asked for, but this earshot build has no usable CUDA "
            + "(CPU natives, or no GPU/driver); build with -Pgpu on a machine with an NVIDIA driver, or use --device cpu");
      }
      long count = torch.cuda_device_count();
      if (index >= count) {
        throw new ConfigException("device: " + this + " was asked for, but only " + count + " CUDA device(s) exist");
      }
    }
    return this;
  }

  org.bytedeco.pytorch.Device toNative() {
    return kind == Kind.CPU ? new org.bytedeco.pytorch.Device(torch.DeviceType.CPU, (byte) 0)
        : new org.bytedeco.pytorch.Device(torch.DeviceType.CUDA, (byte) index);
  }

  torch.DeviceType nativeType() {
    return kind == Kind.CPU ? torch.DeviceType.CPU : torch.DeviceType.CUDA;
  }

  @Override
  public String toString() {
    return kind == Kind.CPU ? "cpu" : "cuda:" + index;
  }
}
