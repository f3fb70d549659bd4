package dev.earshot.tensor;

import java.util.Objects;

/**
 * Where and how a job's tensors compute: a {@link Device} and the {@link Precision} of its matrix products.
 * A runtime choice, not part of a recipe: a run checkpointed on one device resumes on another.
 */
public record Execution(Device device, Precision precision) {
  /** float32 on the CPU: the default everywhere. */
  public static final Execution CPU = new Execution(Device.CPU, Precision.FP32);

  public Execution {
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(precision, "precision");
  }

  /** Parses the command line's {@code --device} and {@code --precision} (nulls mean the defaults). */
  public static Execution parse(String device, String precision) {
    return new Execution(device == null ? Device.CPU : Device.parse(device),
        precision == null ? Precision.FP32 : Precision.parse(precision));
  }

  /** Fails with a clear message when the device or the precision cannot be used here. */
  public Execution checkAvailable() {
    device.checkAvailable();
    if (precision == Precision.BF16) {
      Autocast.checkSupported(device);
    }
    return this;
  }

  /** A root scope on this device. */
  public TensorScope newBaseScope() {
    return device.kind() == Device.Kind.CPU ? TensorScope.newBaseScope() : TensorScope.newBaseScope(device);
  }

  /** Opens this precision for the calling thread's forward passes. */
  public Autocast autocast() {
    return Autocast.of(device, precision);
  }

  @Override
  public String toString() {
    return device + "/" + precision;
  }
}
