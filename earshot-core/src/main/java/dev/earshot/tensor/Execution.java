package dev.earshot.tensor;

import java.util.Objects;

/**
 * Where and how a job's tensors compute: a {@link Device}, the {@link Precision} of its matrix products, and
 * the {@link World} of data-parallel workers this process belongs to. A runtime choice, not part of a recipe:
 * a run checkpointed on one device, or by one number of workers, resumes on another.
 */
public record Execution(Device device, Precision precision, World world) {
  /** float32 on the CPU, one process: the default everywhere. */
  public static final Execution CPU = new Execution(Device.CPU, Precision.FP32, World.SINGLE);

  public Execution {
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(precision, "precision");
    Objects.requireNonNull(world, "world");
  }

  /** One process on {@code device} in {@code precision}. */
  public Execution(Device device, Precision precision) {
    this(device, precision, World.SINGLE);
  }

  /** Parses the command line's {@code --device} and {@code --precision} (nulls mean the defaults). */
  public static Execution parse(String device, String precision) {
    return new Execution(device == null ? Device.CPU : Device.parse(device),
        precision == null ? Precision.FP32 : Precision.parse(precision));
  }

  /**
   * The same precision for a worker of {@code world}; on GPUs each worker of a machine takes the GPU of its
   * local rank ({@code cuda:LOCAL_RANK}).
   */
  public Execution in(World world) {
    Device d = device.kind() == Device.Kind.CUDA && world.isDistributed()
        ? new Device(Device.Kind.CUDA, world.localRank()) : device;
    return new Execution(d, precision, world);
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
    return device + "/" + precision + (world.isDistributed() ? " (" + world.label() + ")" : "");
  }
}
