package dev.earshot.tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.pytorch.DoubleOptional;
import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarOptional;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * A libtorch tensor owned by a {@link TensorScope}: earshot's only handle on native arrays.
 *
 * <p>Semantics follow PyTorch, with these conventions kept from earshot's first engine so that model code
 * reads the same: {@link #transpose(int...)} permutes axes, {@link #repeat(int, long)} repeats each element
 * ({@code repeat_interleave}), {@link #get(int)} selects along axis 0, reductions without keep-dims drop the
 * reduced axes, in-place operations end in {@code i} ({@link #addi}) and return this tensor. The result of an
 * operation belongs to the scope of this tensor (the first operand). Shapes in comments are outermost first.
 */
public final class Tensor implements AutoCloseable {
  private final org.bytedeco.pytorch.Tensor handle;
  private TensorScope scope;
  private boolean closed;

  Tensor(org.bytedeco.pytorch.Tensor handle, TensorScope scope) {
    this.handle = handle;
    this.scope = scope;
    scope.add(this);
    Temporaries.track(this);
  }

  org.bytedeco.pytorch.Tensor handle() {
    if (closed) {
      throw new IllegalStateException("this tensor is closed");
    }
    return handle;
  }

  private Tensor wrap(org.bytedeco.pytorch.Tensor result) {
    return new Tensor(result, scope);
  }

  /** A tensor of this scope sharing {@code reference}'s storage (JavaCPP references are not owned). */
  private Tensor wrapReference(org.bytedeco.pytorch.Tensor reference) {
    return wrap(new org.bytedeco.pytorch.Tensor(reference));
  }

  // ---- identity, ownership ---------------------------------------------------------------------------------

  /** The scope that owns this tensor. */
  public TensorScope scope() {
    return scope;
  }

  /** Moves this tensor to {@code other} (it is then freed with that scope). Returns this tensor. */
  public Tensor attach(TensorScope other) {
    if (other != scope) {
      scope.remove(this);
      scope = other;
      other.add(this);
    }
    return this;
  }

  /** Frees the native handle now (storage shared with other tensors stays alive). Idempotent. */
  @Override
  public void close() {
    if (!closed) {
      scope.remove(this);
      release();
    }
  }

  void release() {
    if (!closed) {
      closed = true;
      handle.close();
    }
  }

  public boolean isClosed() {
    return closed;
  }

  // ---- metadata ---------------------------------------------------------------------------------------------

  public Shape getShape() {
    org.bytedeco.pytorch.Tensor h = handle();
    long[] dims = new long[(int) h.dim()];
    for (int i = 0; i < dims.length; i++) {
      dims[i] = h.size(i);
    }
    return new Shape(dims);
  }

  /** Number of elements. */
  public long size() {
    return handle().numel();
  }

  /** Extent of {@code axis}. */
  public long size(int axis) {
    return handle().size(axis);
  }

  public int dimension() {
    return (int) handle().dim();
  }

  public DType getDataType() {
    return DType.of(handle().scalar_type());
  }

  public Device device() {
    return handle().is_cuda() ? new Device(Device.Kind.CUDA, handle().device().index()) : Device.CPU;
  }

  // ---- host transfer ----------------------------------------------------------------------------------------

  /** The values as float32, C order (converted if needed). */
  public float[] toFloatArray() {
    try (org.bytedeco.pytorch.Tensor c = hostContiguous(torch.ScalarType.Float);
        FloatPointer p = c.data_ptr_float()) {
      float[] out = new float[Math.toIntExact(c.numel())];
      p.get(out);
      return out;
    }
  }

  /** The values as float64, C order (converted if needed). */
  public double[] toDoubleArray() {
    try (org.bytedeco.pytorch.Tensor c = hostContiguous(torch.ScalarType.Double);
        org.bytedeco.javacpp.DoublePointer p = c.data_ptr_double()) {
      double[] out = new double[Math.toIntExact(c.numel())];
      p.get(out);
      return out;
    }
  }

  /** The values as int64, C order (converted if needed). */
  public long[] toLongArray() {
    try (org.bytedeco.pytorch.Tensor c = hostContiguous(torch.ScalarType.Long);
        LongPointer p = c.data_ptr_long()) {
      long[] out = new long[Math.toIntExact(c.numel())];
      p.get(out);
      return out;
    }
  }

  /** The values as booleans (non-zero is true), C order. */
  public boolean[] toBooleanArray() {
    long[] v = toLongArray();
    boolean[] out = new boolean[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = v[i] != 0;
    }
    return out;
  }

  private org.bytedeco.pytorch.Tensor hostContiguous(torch.ScalarType type) {
    org.bytedeco.pytorch.Tensor h = handle().detach();
    if (h.is_cuda()) {
      org.bytedeco.pytorch.Tensor cpu = h.cpu();
      h.close();
      h = cpu;
    }
    if (h.scalar_type().value != type.value) { // JavaCPP returns fresh enum instances
      org.bytedeco.pytorch.Tensor converted = h.to(type);
      h.close();
      h = converted;
    }
    org.bytedeco.pytorch.Tensor c = h.contiguous();
    h.close();
    return c;
  }

  /** The single value of a one-element tensor, as float. */
  public float getFloat() {
    requireOne();
    return handle().item_float();
  }

  /** The single value of a one-element tensor, as double. */
  public double getDouble() {
    requireOne();
    return handle().item_double();
  }

  /** The single value of a one-element tensor, as long. */
  public long getLong() {
    requireOne();
    return handle().item_long();
  }

  private void requireOne() {
    if (size() != 1) {
      throw new IllegalStateException("a single value was asked of a tensor of shape " + getShape());
    }
  }

  /** Overwrites the values (C order, same element count) without changing shape or gradient state. */
  public Tensor set(float[] values) {
    if (values.length != size()) {
      throw new IllegalArgumentException(values.length + " values for a tensor of shape " + getShape());
    }
    try (TensorScope tmp = TensorScope.newBaseScope()) {
      Tensor source = tmp.create(values, getShape());
      boolean recording = org.bytedeco.pytorch.GradMode.is_enabled();
      org.bytedeco.pytorch.GradMode.set_enabled(false);
      try {
        handle().copy_(source.handle());
      } finally {
        org.bytedeco.pytorch.GradMode.set_enabled(recording);
      }
    }
    return this;
  }

  // ---- copies, types, devices, gradients --------------------------------------------------------------------

  /** A copy with its own storage (differentiable, like {@code clone()}). */
  public Tensor duplicate() {
    return wrap(handle().clone());
  }

  /** The same values, cut from the autograd graph ({@code detach()}). */
  public Tensor stopGradient() {
    return wrap(handle().detach());
  }

  /** Converted to {@code type} ({@code copy} forces new storage even when the type is unchanged). */
  public Tensor toType(DType type, boolean copy) {
    if (!copy && getDataType() == type) {
      return wrap(new org.bytedeco.pytorch.Tensor(handle()));
    }
    return wrap(handle().to(type.scalarType, false, copy, null));
  }

  /** This tensor on {@code device} (a new tensor of this scope). */
  public Tensor toDevice(Device device) {
    try (org.bytedeco.pytorch.Device d = device.toNative()) {
      return wrap(handle().to(d, handle().scalar_type()));
    }
  }

  public Tensor setRequiresGradient(boolean requires) {
    handle().set_requires_grad(requires);
    return this;
  }

  public boolean requiresGradient() {
    return handle().requires_grad();
  }

  /** True when a gradient has been accumulated (and not freed). */
  public boolean hasGradient() {
    try (org.bytedeco.pytorch.Tensor g = new org.bytedeco.pytorch.Tensor(handle().grad())) {
      return g.defined();
    }
  }

  /** The accumulated gradient (sharing its storage: in-place changes change the gradient). */
  public Tensor getGradient() {
    org.bytedeco.pytorch.Tensor g = new org.bytedeco.pytorch.Tensor(handle().grad());
    if (!g.defined()) {
      g.close();
      throw new IllegalStateException("this tensor has no gradient");
    }
    return wrap(g);
  }

  /** Sets the accumulated gradient to zero in place (keeps it allocated). */
  public void zeroGradient() {
    try (org.bytedeco.pytorch.Tensor g = new org.bytedeco.pytorch.Tensor(handle().grad())) {
      if (g.defined()) {
        g.zero_();
      }
    }
  }

  // ---- shape ------------------------------------------------------------------------------------------------

  /** A view or copy with new extents (one may be -1). */
  public Tensor reshape(long... shape) {
    return wrap(handle().reshape(shape));
  }

  public Tensor reshape(Shape shape) {
    return reshape(shape.getShape());
  }

  /**
   * Permutes the axes: {@code transpose(0, 2, 1)} swaps the last two of three (PyTorch's {@code permute});
   * without arguments, reverses them.
   */
  public Tensor transpose(int... axes) {
    if (axes.length == 0) {
      long[] reversed = new long[dimension()];
      for (int i = 0; i < reversed.length; i++) {
        reversed[i] = reversed.length - 1 - i;
      }
      return wrap(handle().permute(reversed));
    }
    return wrap(handle().permute(longs(axes)));
  }

  /** Swaps two axes (PyTorch's {@code transpose(a, b)}). */
  public Tensor swapAxes(int a, int b) {
    return wrap(handle().transpose(a, b));
  }

  /** Inserts an axis of extent 1 at {@code axis}. */
  public Tensor expandDims(int axis) {
    return wrap(handle().unsqueeze(axis));
  }

  /** Drops every axis of extent 1. */
  public Tensor squeeze() {
    return wrap(handle().squeeze());
  }

  /** Drops {@code axis} (its extent must be 1). */
  public Tensor squeeze(int axis) {
    return wrap(handle().squeeze(axis));
  }

  /** All elements in one axis. */
  public Tensor flatten() {
    return wrap(handle().flatten());
  }

  /** A broadcast view to {@code shape} (PyTorch's {@code expand}). */
  public Tensor broadcast(Shape shape) {
    return wrap(handle().expand(shape.getShape()));
  }

  /** Repeats each element {@code repeats} times along {@code axis} ({@code repeat_interleave}). */
  public Tensor repeat(int axis, long repeats) {
    try (LongOptional dim = new LongOptional(axis)) {
      return wrap(handle().repeat_interleave(repeats, dim, null));
    }
  }

  /** Tiles the whole tensor {@code repeats[i]} times along each axis (PyTorch's {@code repeat}). */
  public Tensor tile(long... repeats) {
    return wrap(handle().repeat(repeats));
  }

  /** Reverses the order along {@code axes}. */
  public Tensor flip(int... axes) {
    return wrap(handle().flip(longs(axes)));
  }

  /** Rolls elements along {@code axis} by {@code shift} (circularly, like {@code torch.roll}). */
  public Tensor roll(long shift, int axis) {
    return wrap(handle().roll(new long[] {shift}, axis));
  }

  /** Splits into {@code sections} equal parts along {@code axis}. */
  public List<Tensor> split(long sections, int axis) {
    long extent = size(axis);
    if (extent % sections != 0) {
      throw new IllegalArgumentException("axis " + axis + " of " + getShape() + " does not split into " + sections);
    }
    return fromVector(handle().split(extent / sections, axis));
  }

  /** Splits along {@code axis} into parts of the given sizes. */
  public List<Tensor> splitSizes(long[] sizes, int axis) {
    return fromVector(torch.split_with_sizes(handle(), sizes, axis));
  }

  private List<Tensor> fromVector(TensorVector v) {
    try (v) {
      List<Tensor> out = new ArrayList<>();
      for (long i = 0; i < v.size(); i++) {
        out.add(wrapReference(v.get(i)));
      }
      return out;
    }
  }

  // ---- indexing ---------------------------------------------------------------------------------------------

  /** Selects {@code i} along axis 0 (that axis is dropped). */
  public Tensor get(long i) {
    return wrap(handle().select(0, i));
  }

  /** The view {@code x[index]} (integers drop their axis, slices keep it). */
  public Tensor get(Index index) {
    org.bytedeco.pytorch.Tensor current = new org.bytedeco.pytorch.Tensor(handle());
    int axis = 0;
    for (IndexSpec.Part p : index.parts) {
      org.bytedeco.pytorch.Tensor next;
      if (p.single()) {
        next = current.select(axis, p.start());
      } else {
        long extent = current.size(axis);
        long start = clampBound(p.start(), extent);
        long end = p.end() == null ? extent : clampBound(p.end(), extent);
        next = current.narrow(axis, start, Math.max(0, end - start));
        axis++;
      }
      current.close();
      current = next;
    }
    return wrap(current);
  }

  /** Convenience for {@code get(Index.of(spec, args))}. */
  public Tensor get(String spec, Object... args) {
    return get(Index.of(spec, args));
  }

  private static long clampBound(long bound, long extent) {
    long b = bound < 0 ? extent + bound : bound;
    return Math.max(0, Math.min(extent, b));
  }

  /** Writes {@code value} (broadcast) into {@code x[index]} in place. Returns this tensor. */
  public Tensor set(Index index, Tensor value) {
    try (Tensor view = get(index)) {
      view.handle().copy_(value.handle());
    }
    return this;
  }

  /** {@code out[i][j][k] = x[index[i][j][k]][j][k]} for axis 0, and so on ({@code torch.gather}). */
  public Tensor gather(Tensor index, int axis) {
    return wrap(torch.gather(handle(), axis, index.handle()));
  }

  /** The rows {@code index} (int64, 1-D) along {@code axis} ({@code index_select}). */
  public Tensor indexSelect(int axis, Tensor index) {
    return wrap(handle().index_select(axis, index.handle()));
  }

  /** Elements at flat positions {@code index} ({@code torch.take}). */
  public Tensor take(Tensor index) {
    return wrap(torch.take(handle(), index.handle()));
  }

  /** {@code condition ? a : b}, element-wise with broadcasting; the result belongs to {@code a}'s scope. */
  public static Tensor where(Tensor condition, Tensor a, Tensor b) {
    return a.wrap(torch.where(condition.handle(), a.handle(), b.handle()));
  }

  /** Joins {@code parts} along an existing axis; the result belongs to the first part's scope. */
  public static Tensor concat(List<Tensor> parts, int axis) {
    try (TensorVector v = vector(parts)) {
      return parts.get(0).wrap(torch.cat(v, axis));
    }
  }

  /** Stacks {@code parts} along a new axis; the result belongs to the first part's scope. */
  public static Tensor stack(List<Tensor> parts, int axis) {
    try (TensorVector v = vector(parts)) {
      return parts.get(0).wrap(torch.stack(v, axis));
    }
  }

  private static TensorVector vector(List<Tensor> parts) {
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("nothing to join");
    }
    TensorVector v = new TensorVector();
    for (Tensor t : parts) {
      v.push_back(t.handle());
    }
    return v;
  }

  // ---- arithmetic -------------------------------------------------------------------------------------------

  public Tensor add(Tensor other) {
    return wrap(handle().add(other.handle()));
  }

  public Tensor sub(Tensor other) {
    return wrap(handle().sub(other.handle()));
  }

  public Tensor mul(Tensor other) {
    return wrap(handle().mul(other.handle()));
  }

  public Tensor div(Tensor other) {
    return wrap(handle().div(other.handle()));
  }

  public Tensor add(double value) {
    try (Scalar s = new Scalar(value)) {
      return wrap(handle().add(s));
    }
  }

  public Tensor sub(double value) {
    try (Scalar s = new Scalar(value)) {
      return wrap(handle().sub(s));
    }
  }

  public Tensor mul(double value) {
    try (Scalar s = new Scalar(value)) {
      return wrap(handle().mul(s));
    }
  }

  public Tensor div(double value) {
    try (Scalar s = new Scalar(value)) {
      return wrap(handle().div(s));
    }
  }

  /** {@code value - x}. */
  public Tensor rsub(double value) {
    try (Scalar s = new Scalar(value)) {
      return wrap(torch.rsub(handle(), s));
    }
  }

  public Tensor pow(double exponent) {
    try (Scalar s = new Scalar(exponent)) {
      return wrap(handle().pow(s));
    }
  }

  public Tensor pow(Tensor exponent) {
    return wrap(handle().pow(exponent.handle()));
  }

  public Tensor neg() {
    return wrap(handle().neg());
  }

  public Tensor abs() {
    return wrap(handle().abs());
  }

  public Tensor exp() {
    return wrap(handle().exp());
  }

  public Tensor log() {
    return wrap(handle().log());
  }

  public Tensor sqrt() {
    return wrap(handle().sqrt());
  }

  public Tensor square() {
    return wrap(handle().square());
  }

  public Tensor sin() {
    return wrap(handle().sin());
  }

  public Tensor cos() {
    return wrap(handle().cos());
  }

  public Tensor tanh() {
    return wrap(handle().tanh());
  }

  public Tensor sigmoid() {
    return wrap(handle().sigmoid());
  }

  public Tensor floor() {
    return wrap(handle().floor());
  }

  public Tensor round() {
    return wrap(handle().round());
  }

  /** Element-wise maximum with a constant. */
  public Tensor maximum(double value) {
    try (Scalar s = new Scalar(value)) {
      return wrap(handle().clamp_min(s));
    }
  }

  /** Element-wise maximum of two tensors. */
  public Tensor maximum(Tensor other) {
    return wrap(torch.maximum(handle(), other.handle()));
  }

  /** Element-wise minimum with a constant. */
  public Tensor minimum(double value) {
    try (Scalar s = new Scalar(value)) {
      return wrap(handle().clamp_max(s));
    }
  }

  public Tensor minimum(Tensor other) {
    return wrap(torch.minimum(handle(), other.handle()));
  }

  /** Clamps to [min, max]. */
  public Tensor clip(double min, double max) {
    try (Scalar lo = new Scalar(min); Scalar hi = new Scalar(max);
        ScalarOptional loOpt = new ScalarOptional(lo); ScalarOptional hiOpt = new ScalarOptional(hi)) {
      return wrap(handle().clamp(loOpt, hiOpt));
    }
  }

  // ---- comparisons ------------------------------------------------------------------------------------------

  public Tensor isNaN() {
    return wrap(handle().isnan());
  }

  public Tensor isFinite() {
    return wrap(torch.isfinite(handle()));
  }

  public Tensor eq(Tensor other) {
    return wrap(handle().eq(other.handle()));
  }

  public Tensor eq(double value) {
    try (Scalar s = new Scalar(value)) {
      return wrap(handle().eq(s));
    }
  }

  public Tensor gt(double value) {
    try (Scalar s = new Scalar(value)) {
      return wrap(handle().gt(s));
    }
  }

  public Tensor gt(Tensor other) {
    return wrap(handle().gt(other.handle()));
  }

  public Tensor lt(double value) {
    try (Scalar s = new Scalar(value)) {
      return wrap(handle().lt(s));
    }
  }

  public Tensor lt(Tensor other) {
    return wrap(handle().lt(other.handle()));
  }

  public Tensor gte(double value) {
    try (Scalar s = new Scalar(value)) {
      return wrap(handle().ge(s));
    }
  }

  public Tensor lte(double value) {
    try (Scalar s = new Scalar(value)) {
      return wrap(handle().le(s));
    }
  }

  public Tensor logicalNot() {
    return wrap(handle().logical_not());
  }

  // ---- in place ---------------------------------------------------------------------------------------------

  public Tensor addi(Tensor other) {
    handle().add_(other.handle());
    return this;
  }

  public Tensor subi(Tensor other) {
    handle().sub_(other.handle());
    return this;
  }

  public Tensor muli(Tensor other) {
    handle().mul_(other.handle());
    return this;
  }

  public Tensor divi(Tensor other) {
    handle().div_(other.handle());
    return this;
  }

  public Tensor addi(double value) {
    try (Scalar s = new Scalar(value)) {
      handle().add_(s);
    }
    return this;
  }

  public Tensor subi(double value) {
    try (Scalar s = new Scalar(value)) {
      handle().sub_(s);
    }
    return this;
  }

  public Tensor muli(double value) {
    try (Scalar s = new Scalar(value)) {
      handle().mul_(s);
    }
    return this;
  }

  public Tensor divi(double value) {
    try (Scalar s = new Scalar(value)) {
      handle().div_(s);
    }
    return this;
  }

  /** Copies {@code source}'s values (broadcast, converted) into this tensor in place. */
  public Tensor copyFrom(Tensor source) {
    handle().copy_(source.handle());
    return this;
  }

  /** {@code this += weight * (end - this)} in place ({@code lerp_}). */
  public Tensor lerpi(Tensor end, double weight) {
    try (Scalar w = new Scalar(weight)) {
      handle().lerp_(end.handle(), w);
    }
    return this;
  }

  // ---- reductions -------------------------------------------------------------------------------------------

  /** Sum of all elements (0-d). */
  public Tensor sum() {
    return wrap(handle().sum());
  }

  /** Sum over {@code axes}, dropping them. */
  public Tensor sum(int[] axes) {
    return sum(axes, false);
  }

  public Tensor sum(int[] axes, boolean keepDims) {
    return wrap(handle().sum(longs(axes), keepDims, null));
  }

  /** Mean of all elements (0-d). */
  public Tensor mean() {
    return wrap(handle().mean());
  }

  public Tensor mean(int[] axes) {
    return mean(axes, false);
  }

  public Tensor mean(int[] axes, boolean keepDims) {
    return wrap(handle().mean(longs(axes), keepDims, null));
  }

  /** Maximum of all elements (0-d). */
  public Tensor max() {
    return wrap(handle().max());
  }

  /** Maximum over one axis (values only). */
  public Tensor max(int axis, boolean keepDims) {
    try (org.bytedeco.pytorch.T_TensorTensor_T r = handle().max(axis, keepDims)) {
      return wrapReference(r.get0());
    }
  }

  /** Maximum over {@code axes} (values only), dropping them. */
  public Tensor max(int[] axes) {
    return wrap(torch.amax(handle(), longs(axes), false));
  }

  /** Minimum of all elements (0-d). */
  public Tensor min() {
    return wrap(handle().min());
  }

  /** Position of the maximum along {@code axis} (int64). */
  public Tensor argMax(int axis) {
    try (LongOptional dim = new LongOptional(axis)) {
      return wrap(handle().argmax(dim, false));
    }
  }

  /** Sorting permutation along {@code axis}, ascending (int64; stable). */
  public Tensor argSort(int axis) {
    return wrap(torch.argsort(handle(), true, axis, false));
  }

  /** Euclidean norm of all elements (0-d). */
  public Tensor norm() {
    return wrap(torch.linalg_vector_norm(handle()));
  }

  /** Euclidean norms over {@code axes}. */
  public Tensor norm(int[] axes, boolean keepDims) {
    try (Scalar two = new Scalar(2.0)) {
      return wrap(torch.linalg_vector_norm(handle(), two, longs(axes), keepDims, null));
    }
  }

  /** Cumulative sum along {@code axis}. */
  public Tensor cumSum(int axis) {
    return wrap(handle().cumsum(axis));
  }

  /** log(sum(exp(x))) over {@code axis}, dropping it. */
  public Tensor logSumExp(int axis) {
    return wrap(torch.logsumexp(handle(), new long[] {axis}, false));
  }

  // ---- neural-network operations ----------------------------------------------------------------------------

  /** Matrix product with broadcasting ({@code torch.matmul}). */
  public Tensor matMul(Tensor other) {
    return wrap(handle().matmul(other.handle()));
  }

  public Tensor softmax(int axis) {
    return wrap(handle().softmax(axis));
  }

  public Tensor logSoftmax(int axis) {
    return wrap(torch.log_softmax(handle(), axis));
  }

  /** Exact (erf) GELU. */
  public Tensor gelu() {
    return wrap(torch.gelu(handle()));
  }

  public Tensor relu() {
    return wrap(handle().relu());
  }

  /** {@code x / max(|x|_p, eps)} along {@code axis} (PyTorch's {@code F.normalize}). */
  public Tensor normalize(double p, int axis, double eps) {
    try (Scalar order = new Scalar(p); Scalar floor = new Scalar(eps);
        org.bytedeco.pytorch.Tensor norms = torch.linalg_vector_norm(handle(), order, new long[] {axis}, true, null);
        org.bytedeco.pytorch.Tensor clamped = norms.clamp_min(floor);
        org.bytedeco.pytorch.Tensor denominator = clamped.expand_as(handle())) {
      return wrap(handle().div(denominator));
    }
  }

  /** {@code x W^T + b} over the last axis; {@code bias} may be null. */
  public Tensor linear(Tensor weight, Tensor bias) {
    if (bias == null) {
      return wrap(torch.linear(handle(), weight.handle()));
    }
    try (TensorOptional b = new TensorOptional(bias.handle())) {
      return wrap(torch.linear(handle(), weight.handle(), b));
    }
  }

  /** Layer normalisation over the last {@code normalizedShape.length} axes; weight and bias may be null. */
  public Tensor layerNorm(long[] normalizedShape, Tensor weight, Tensor bias, double eps) {
    try (TensorOptional w = weight == null ? new TensorOptional() : new TensorOptional(weight.handle());
        TensorOptional b = bias == null ? new TensorOptional() : new TensorOptional(bias.handle())) {
      return wrap(torch.layer_norm(handle(), normalizedShape, w, b, eps, false));
    }
  }

  /** 2-D convolution of (B, C, H, W); {@code bias} may be null. */
  public Tensor conv2d(Tensor weight, Tensor bias, long[] stride, long[] padding, long[] dilation, long groups) {
    try (TensorOptional b = bias == null ? new TensorOptional() : new TensorOptional(bias.handle())) {
      return wrap(torch.conv2d(handle(), weight.handle(), b, stride, padding, dilation, groups));
    }
  }

  /** Inverted dropout: zeroes with probability {@code p} and scales the rest by 1 / (1 - p) when training. */
  public Tensor dropout(double p, boolean training) {
    return wrap(torch.dropout(handle(), p, training));
  }

  /** 2-D max pooling of (B, C, H, W). */
  public Tensor maxPool2d(long[] kernel, long[] stride, long[] padding, boolean ceilMode) {
    return wrap(torch.max_pool2d(handle(), kernel, stride, padding, new long[] {1, 1}, ceilMode));
  }

  /** 2-D average pooling of (B, C, H, W). */
  public Tensor avgPool2d(long[] kernel, long[] stride, long[] padding, boolean ceilMode, boolean countIncludePad) {
    return wrap(torch.avg_pool2d(handle(), kernel, stride, padding, ceilMode, countIncludePad, null));
  }

  /** Bilinear resize of (B, C, H, W) to {@code (height, width)}, align_corners false (PyTorch's default). */
  public Tensor interpolateBilinear(long height, long width) {
    return wrap(torch.upsample_bilinear2d(handle(), new long[] {height, width}, false));
  }

  /** Bicubic resize of (B, C, H, W) to {@code (height, width)}, align_corners false. */
  public Tensor interpolateBicubic(long height, long width) {
    return wrap(torch.upsample_bicubic2d(handle(), new long[] {height, width}, false));
  }

  /** Linear resize of (B, C, L) to {@code length}, align_corners false. */
  public Tensor interpolateLinear(long length) {
    return wrap(torch.upsample_linear1d(handle(), new long[] {length}, false));
  }

  /**
   * Fused attention {@code softmax(q k^T * scale) v} over (B, H, N, d) inputs ({@code
   * scaled_dot_product_attention}); the result belongs to q's scope.
   */
  public static Tensor scaledDotProductAttention(Tensor q, Tensor k, Tensor v, double scale, double dropout) {
    try (DoubleOptional s = new DoubleOptional(scale); TensorOptional noMask = new TensorOptional()) {
      return q.wrap(torch.scaled_dot_product_attention(q.handle(), k.handle(), v.handle(), noMask, dropout, false,
          s, false));
    }
  }

  // ---- misc -------------------------------------------------------------------------------------------------

  private static long[] longs(int[] v) {
    long[] out = new long[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = v[i];
    }
    return out;
  }

  @Override
  public String toString() {
    if (closed) {
      return "Tensor(closed)";
    }
    String dims = getShape().toString();
    if (size() <= 16) {
      return "Tensor" + dims + " " + getDataType() + " " + Arrays.toString(toFloatArray());
    }
    return "Tensor" + dims + " " + getDataType();
  }
}
