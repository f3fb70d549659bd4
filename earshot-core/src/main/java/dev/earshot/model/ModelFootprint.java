package dev.earshot.model;

import dev.earshot.HeapBudget;
import dev.earshot.io.CheckpointFormatException;
import dev.earshot.model.mast.MultiscaleConfig;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;

/**
 * What building a model from its configuration will cost, estimated before anything is allocated: its
 * parameter count, the bytes of its weights and constant tables, and the activation memory of one clip's
 * forward pass (attention scores dominate for long inputs). A {@code model.json} is never trusted with memory
 * it has not been compared to: {@link #require} refuses a model whose weights do not fit the heap (they are read
 * there first) or whose weights and activations do not fit the native budget.
 *
 * <p>The native budget is half the machine's physical memory, or {@code -Dearshot.maxModelBytes=N}. The
 * estimates follow the modules' parameter layouts and are within a few percent of the built models
 * ({@code ModelFootprintTest}).
 *
 * @param parameters number of learned values
 * @param weightBytes float32 weights plus constant tables (sin-cos positions)
 * @param activationBytes peak activation memory of one clip's forward pass, roughly
 */
public record ModelFootprint(long parameters, long weightBytes, long activationBytes) {

  /** The footprint of the model a manifest describes. */
  public static ModelFootprint of(ModelDirectory.Manifest m) {
    return m.usesMultiscale() ? of(m.multiscale()) : of(m.config());
  }

  /** The footprint of an audio transformer. */
  public static ModelFootprint of(AudioTransformerConfig c) {
    long d = c.embedDim();
    long mlp = c.mlpHidden();
    PatchGrid g = c.grid();
    long patches = (long) g.timePatches() * g.freqPatches();
    long tokens = c.specialTokens() + patches;
    long p = d * g.patchFrames() * g.patchBins() + d + c.specialTokens() * d;
    long tables = 0;
    if (c.positions() == PositionEncoding.LEARNED) {
      p += tokens * d;
    } else {
      tables += (long) c.maxTimePatches() * g.freqPatches() * d;
    }
    long block = 4 * d + 3 * d * d + (c.qkvBias() ? 3 * d : 0) + d * d + d + 2 * d * mlp + mlp + d;
    p += c.depth() * block;
    p += (c.finalNorm() ? 2 * d : 0) + (c.inputNorm() ? 2 * d : 0);
    if (c.numClasses() > 0) {
      p += 2 * d + d * c.numClasses() + c.numClasses();
    }
    long activations = 4 * (2 * c.heads() * tokens * tokens + tokens * (8 * d + 2 * mlp));
    return new ModelFootprint(p, 4 * (p + tables), activations);
  }

  /** The footprint of a MAST model. */
  public static ModelFootprint of(MultiscaleConfig c) {
    int[] dims = c.dims();
    long p = (long) dims[0] * c.patch() * c.patch() + dims[0];
    long k2 = (long) c.kernel() * c.kernel();
    long in = dims[0];
    for (int s = 0; s < dims.length; s++) {
      long out = dims[s];
      long headDim = Math.max(1, out / c.heads()[s]);
      long rows = 2L * Math.max(c.relPosSide(), c.timePatches(c.frames())) + 1;
      long hidden = (long) (out * c.mlpRatio());
      for (int b = 0; b < c.depths()[s]; b++) {
        p += 2 * in + (in != out ? in * out + out : 0) + in * 3 * out + 3 * out + out * out + out;
        p += 3 * (headDim * k2 + 2 * headDim) + 2 * rows * headDim;
        p += 2 * out + 2 * out * hidden + hidden + out;
        in = out;
      }
    }
    if (c.numClasses() > 0) {
      p += 2 * in + in * c.numClasses() + c.numClasses();
    }
    long tokens = (long) c.timePatches(c.frames()) * c.freqPatches();
    long kvTokens = Math.max(1, tokens / ((long) c.strideKv() * c.strideKv()));
    long activations = 4 * (2 * c.heads()[0] * tokens * kvTokens + tokens * (8L * dims[0] + 2L * (long) (dims[0]
        * c.mlpRatio())));
    return new ModelFootprint(p, 4 * p, activations);
  }

  /** Bytes of native memory the model and one clip's forward pass need. */
  public long nativeBytes() {
    return weightBytes + activationBytes;
  }

  /** The native-memory budget: {@code earshot.maxModelBytes}, or half the machine's physical memory. */
  public static long nativeBudget() {
    String given = System.getProperty("earshot.maxModelBytes");
    if (given != null) {
      try {
        return Long.parseLong(given.trim());
      } catch (NumberFormatException e) {
        throw new dev.earshot.ConfigException("earshot.maxModelBytes: not a number of bytes: '" + given + "'");
      }
    }
    try {
      if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
        return os.getTotalMemorySize() / 2;
      }
    } catch (RuntimeException | LinkageError e) {
      // no such bean on this JVM: fall through
    }
    return 8L << 30;
  }

  /**
   * Refuses the model when its weights do not fit the heap or its weights and activations do not fit
   * {@code nativeBudget} bytes; {@code file} names the manifest in the error.
   */
  public void require(Path file, long nativeBudget) {
    if (nativeBytes() < 0 || nativeBytes() > nativeBudget) {
      throw new CheckpointFormatException(file, String.format(java.util.Locale.ROOT,
          "the model would need %s (%,d parameters, %s of weights, %s of activations per clip), more than the %s "
              + "budget for models (set -Dearshot.maxModelBytes to raise it)", HeapBudget.megabytes(nativeBytes()),
          parameters, HeapBudget.megabytes(weightBytes), HeapBudget.megabytes(activationBytes),
          HeapBudget.megabytes(nativeBudget)));
    }
    String heap = HeapBudget.shortfall(weightBytes, "reading the model's " + String.format(java.util.Locale.ROOT,
        "%,d", parameters) + " weights");
    if (heap != null) {
      throw new CheckpointFormatException(file, heap);
    }
  }
}
