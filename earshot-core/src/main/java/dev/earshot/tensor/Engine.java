package dev.earshot.tensor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.pytorch.GradMode;
import org.bytedeco.pytorch.global.torch;

/**
 * The tensor engine: libtorch through JavaCPP's PyTorch presets ({@code org.bytedeco:pytorch}), one libtorch
 * per process. {@link #load()} brings the natives in once; every entry point of this package calls it.
 *
 * <p>First load. JavaCPP unpacks the natives (~400 MB) into its cache ({@code ~/.javacpp/cache}, or the
 * {@code org.bytedeco.javacpp.cachedir} property) on first use and locks the cache per file while doing so.
 * earshot additionally holds one lock file for the whole first load, so that JVMs started together (test
 * forks, distributed workers) load one after the other until the cache is complete.
 *
 * <p>BLAS. libtorch's matrix products go to the BLAS library JavaCPP loads in OpenBLAS's place. On Intel CPUs
 * that is Intel MKL, with its GNU OpenMP threading layer, so that MKL and libtorch share one OpenMP thread pool
 * (OpenBLAS keeps its own pool of spinning threads, which made training steps 2-3x slower when cores are
 * shared; see docs/BENCHMARKS.md). On other vendors it is OpenBLAS: the MKL-based libtorch of the previous
 * engine lost to OpenBLAS + oneDNN on an AMD EPYC. {@code -Dearshot.blas=mkl|openblas} overrides the choice.
 *
 * <p>Threads. Gradient recording is thread-local in libtorch and on by default; earshot switches it off in
 * every thread that creates a {@link TensorScope} and on only inside a {@link GradientTape}, so inference
 * and data threads never keep graphs alive.
 */
public final class Engine {
  private static volatile boolean loaded;
  private static final ThreadLocal<Boolean> PREPARED = ThreadLocal.withInitial(() -> false);

  static {
    // JavaCPP would otherwise call System.gc() whenever the process RSS passes twice the Java heap limit;
    // libtorch's memory is freed deterministically by TensorScope, never by the garbage collector.
    if (System.getProperty("org.bytedeco.javacpp.maxPhysicalBytes") == null) {
      System.setProperty("org.bytedeco.javacpp.maxPhysicalBytes", "0");
    }
    if (usesMkl() && System.getProperty("org.bytedeco.openblas.load") == null) {
      System.setProperty("org.bytedeco.openblas.load", "mkl_rt");
    }
  }

  /** MKL if {@code -Dearshot.blas=mkl}, OpenBLAS if {@code openblas}, otherwise MKL exactly on Intel CPUs. */
  static boolean usesMkl() {
    String chosen = System.getProperty("earshot.blas", "");
    if (chosen.isEmpty()) {
      return isIntelCpu();
    }
    if (chosen.equalsIgnoreCase("mkl") || chosen.equalsIgnoreCase("openblas")) {
      return chosen.equalsIgnoreCase("mkl");
    }
    throw new IllegalArgumentException("earshot.blas must be mkl or openblas, got '" + chosen + "'");
  }

  /** True when /proc/cpuinfo names Intel as the vendor (false where it cannot be read, e.g. off Linux). */
  private static boolean isIntelCpu() {
    try (var lines = Files.lines(Path.of("/proc/cpuinfo"))) {
      return lines.filter(line -> line.startsWith("vendor_id"))
          .findFirst()
          .map(line -> line.contains("GenuineIntel"))
          .orElse(false);
    } catch (IOException | UncheckedIOException e) {
      return false;
    }
  }

  /** The BLAS library in use: "mkl" or "openblas". */
  public static String blas() {
    return usesMkl() ? "mkl" : "openblas";
  }

  private Engine() {}

  /** Loads libtorch (idempotent, thread-safe, safe when several JVMs start at once). */
  public static void load() {
    if (loaded) {
      return;
    }
    synchronized (Engine.class) {
      if (loaded) {
        return;
      }
      try {
        Path cache = Loader.getCacheDir().toPath();
        Files.createDirectories(cache);
        try (FileChannel channel = FileChannel.open(cache.resolve(".earshot-load.lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.lock()) {
          if (usesMkl()) {
            Loader.load(org.bytedeco.mkl.global.mkl_rt.class);
            org.bytedeco.mkl.global.mkl_rt.MKL_Set_Threading_Layer(org.bytedeco.mkl.global.mkl_rt.MKL_THREADING_GNU);
          }
          unpackBeforeLoading("libtorch_cpu.so");
          Loader.load(torch.class);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("could not lock the native library cache", e);
      }
      loaded = true;
    }
    prepareThread();
  }

  /**
   * Unpacks one of the presets' libraries into the cache ahead of {@link Loader#load}. JavaCPP loads
   * {@code libtorch.so} before it has unpacked {@code libtorch_cpu.so}, which {@code libtorch.so} (and the CUDA
   * libraries) need: on a first load the dynamic linker then takes a system-wide {@code libtorch_cpu.so} if there
   * is one (Debian's python3-torch installs 1.13 in /lib/x86_64-linux-gnu) and the process crashes. Unpacked
   * first, it is found beside them ($ORIGIN). Costs nothing once the cache holds it.
   */
  private static void unpackBeforeLoading(String library) throws IOException {
    for (String extension : new String[] {"", "-gpu"}) {
      java.net.URL url = Loader.findResource(torch.class,
          "/org/bytedeco/pytorch/" + Loader.getPlatform() + extension + "/" + library);
      if (url != null) {
        Loader.cacheResource(url);
      }
    }
  }

  /** The presets' version, libtorch's then JavaCPP's, e.g. {@code 2.10.0-1.5.13}. */
  public static String version() {
    String v = torch.class.getPackage().getImplementationVersion();
    return v == null ? "unknown" : v;
  }

  /** Sets the number of intra-op threads (OpenMP) for this process. */
  public static void setThreads(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be positive, got " + threads);
    }
    load();
    torch.set_num_threads(threads);
  }

  /** The number of intra-op threads. */
  public static int threads() {
    load();
    return torch.get_num_threads();
  }

  /** Seeds libtorch's global generators (only used by code outside earshot's own seeded draws). */
  public static void seed(long seed) {
    load();
    torch.manual_seed(seed);
  }

  /** Switches gradient recording off in the calling thread the first time it uses the engine. */
  static void prepareThread() {
    if (!PREPARED.get()) {
      load();
      GradMode.set_enabled(false);
      PREPARED.set(true);
    }
  }

  /** Turns gradient recording off for the calling thread (inference and data threads). */
  public static void disableGradientsForThisThread() {
    load();
    GradMode.set_enabled(false);
    PREPARED.set(true);
  }
}
