package dev.earshot.tensor;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.GeneratorOptional;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;

/**
 * Owns native tensors and frees them together: a model's parameters live in one long-lived scope, every
 * training step or inference batch in a sub-scope that is closed afterwards. A tensor belongs to exactly one
 * scope; the result of an operation belongs to the scope of its first tensor operand (so forward code puts
 * the activation first, and moves parameter-derived temporaries with {@link Tensor#attach}). Closing a scope
 * closes its sub-scopes and every tensor it owns; tensors created on the host are copied into memory that
 * libtorch owns, so nothing depends on a Java buffer staying alive.
 *
 * <p>A scope places the tensors it creates on its {@link Device}; sub-scopes inherit it. Thread-safe.
 */
public final class TensorScope implements AutoCloseable {
  private final TensorScope parent;
  private final Device device;
  private final Set<Tensor> tensors = new LinkedHashSet<>();
  private final Set<TensorScope> children = new LinkedHashSet<>();
  private boolean closed;

  private TensorScope(TensorScope parent, Device device) {
    Engine.prepareThread();
    this.parent = parent;
    this.device = Objects.requireNonNull(device, "device");
  }

  /** A root scope on the CPU. */
  public static TensorScope newBaseScope() {
    return new TensorScope(null, Device.CPU);
  }

  /** A root scope on {@code device} (checked to be usable). */
  public static TensorScope newBaseScope(Device device) {
    return new TensorScope(null, device.checkAvailable());
  }

  /** A scope closed with this one (or earlier, on its own). */
  public synchronized TensorScope newSubScope() {
    checkOpen();
    TensorScope child = new TensorScope(this, device);
    children.add(child);
    return child;
  }

  public Device device() {
    return device;
  }

  /** A float32 tensor of {@code shape} holding {@code values} (C order). */
  public Tensor create(float[] values, Shape shape) {
    checkSize(values.length, shape);
    org.bytedeco.pytorch.Tensor host = torch.empty(shape.getShape(), options(DType.FLOAT32, Device.CPU), null);
    try (FloatPointer data = host.data_ptr_float()) {
      data.put(values);
    }
    return new Tensor(toDevice(host), this);
  }

  /** A 1-D float32 tensor. */
  public Tensor create(float[] values) {
    return create(values, new Shape(values.length));
  }

  /** A float64 tensor of {@code shape} holding {@code values} (C order). */
  public Tensor create(double[] values, Shape shape) {
    checkSize(values.length, shape);
    org.bytedeco.pytorch.Tensor host = torch.empty(shape.getShape(), options(DType.FLOAT64, Device.CPU), null);
    try (org.bytedeco.javacpp.DoublePointer data = host.data_ptr_double()) {
      data.put(values);
    }
    return new Tensor(toDevice(host), this);
  }

  /** An int64 tensor of {@code shape} holding {@code values} (C order). */
  public Tensor create(long[] values, Shape shape) {
    checkSize(values.length, shape);
    org.bytedeco.pytorch.Tensor host = torch.empty(shape.getShape(), options(DType.INT64, Device.CPU), null);
    try (LongPointer data = host.data_ptr_long()) {
      data.put(values);
    }
    return new Tensor(toDevice(host), this);
  }

  /** A boolean tensor of {@code shape} holding {@code values} (C order). */
  public Tensor create(boolean[] values, Shape shape) {
    checkSize(values.length, shape);
    byte[] bytes = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      bytes[i] = (byte) (values[i] ? 1 : 0);
    }
    org.bytedeco.pytorch.Tensor host = torch.empty(shape.getShape(), options(DType.BOOL, Device.CPU), null);
    try (org.bytedeco.javacpp.BytePointer data = new org.bytedeco.javacpp.BytePointer(host.data_ptr())) {
      data.put(bytes);
    }
    return new Tensor(toDevice(host), this);
  }

  /** A 0-d float32 tensor. */
  public Tensor scalar(float value) {
    return create(new float[] {value}, new Shape());
  }

  public Tensor zeros(Shape shape) {
    return zeros(shape, DType.FLOAT32);
  }

  public Tensor zeros(Shape shape, DType type) {
    return new Tensor(torch.zeros(shape.getShape(), options(type, device)), this);
  }

  public Tensor ones(Shape shape) {
    return new Tensor(torch.ones(shape.getShape(), options(DType.FLOAT32, device)), this);
  }

  /** A float32 tensor of {@code shape} filled with {@code value}. */
  public Tensor full(Shape shape, float value) {
    try (Scalar s = new Scalar(value)) {
      return new Tensor(torch.full(shape.getShape(), s, options(DType.FLOAT32, device)), this);
    }
  }

  /** 0, 1, ..., n - 1 as int64. */
  public Tensor arange(long n) {
    try (Scalar end = new Scalar(n)) {
      return new Tensor(torch.arange(end, options(DType.INT64, device)), this);
    }
  }

  /**
   * Normal draws (float32) from a generator seeded with {@code seed}. Drawn on the CPU whatever the
   * device, so a seed gives the same values everywhere.
   */
  public Tensor randomNormal(Shape shape, double mean, double std, long seed) {
    try (Generator generator = torch.make_generator_cpu(seed);
        GeneratorOptional g = new GeneratorOptional(generator)) {
      org.bytedeco.pytorch.Tensor host = torch.normal(mean, std, shape.getShape(), g, options(DType.FLOAT32, Device.CPU));
      return new Tensor(toDevice(host), this);
    }
  }

  /** Uniform draws in [0, 1) (float32) from a generator seeded with {@code seed}, drawn on the CPU. */
  public Tensor randomUniform(Shape shape, long seed) {
    try (Generator generator = torch.make_generator_cpu(seed);
        GeneratorOptional g = new GeneratorOptional(generator)) {
      org.bytedeco.pytorch.Tensor host = torch.rand(shape.getShape(), g, options(DType.FLOAT32, Device.CPU));
      return new Tensor(toDevice(host), this);
    }
  }

  /** Number of open tensors owned by this scope and its open sub-scopes. */
  public synchronized long liveTensors() {
    long n = tensors.size();
    for (TensorScope c : children) {
      n += c.liveTensors();
    }
    return n;
  }

  public synchronized boolean isOpen() {
    return !closed;
  }

  /** Closes every sub-scope and every tensor still owned. Idempotent. */
  @Override
  public void close() {
    List<TensorScope> childList;
    List<Tensor> tensorList;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      childList = new ArrayList<>(children);
      tensorList = new ArrayList<>(tensors);
      children.clear();
      tensors.clear();
    }
    for (TensorScope c : childList) {
      c.close();
    }
    for (Tensor t : tensorList) {
      t.release();
    }
    if (parent != null) {
      parent.forget(this);
    }
  }

  // -- package internals ------------------------------------------------------------------------------------

  synchronized void add(Tensor t) {
    checkOpen();
    tensors.add(t);
  }

  synchronized void remove(Tensor t) {
    tensors.remove(t);
  }

  private synchronized void forget(TensorScope child) {
    children.remove(child);
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("this TensorScope is closed");
    }
  }

  private org.bytedeco.pytorch.Tensor toDevice(org.bytedeco.pytorch.Tensor host) {
    if (device.kind() == Device.Kind.CPU) {
      return host;
    }
    try (host; org.bytedeco.pytorch.Device d = device.toNative()) {
      return host.to(d, host.scalar_type());
    }
  }

  private static final java.util.Map<DType, TensorOptions> CPU_OPTIONS = new java.util.EnumMap<>(DType.class);

  /** Options for {@code type} on {@code device}; CPU ones are shared and must not be closed. */
  static TensorOptions options(DType type, Device device) {
    if (device.kind() == Device.Kind.CPU) {
      synchronized (CPU_OPTIONS) {
        return CPU_OPTIONS.computeIfAbsent(type, t -> new TensorOptions(t.scalarType));
      }
    }
    TensorOptions o = new TensorOptions(type.scalarType);
    {
      try (org.bytedeco.pytorch.Device d = device.toNative();
          org.bytedeco.pytorch.DeviceOptional opt = new org.bytedeco.pytorch.DeviceOptional(d)) {
        o = o.device(opt);
      }
    }
    return o;
  }

  private static void checkSize(long n, Shape shape) {
    if (n != shape.size()) {
      throw new IllegalArgumentException(n + " values for shape " + shape);
    }
  }
}
