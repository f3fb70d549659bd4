package dev.earshot.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads PyTorch checkpoints written by {@code torch.save} (the zip format of torch 1.6 and later) without
 * Python and without running anything from the file.
 *
 * <p>Implementation notes. The archive holds {@code <prefix>/data.pkl} (the object graph as a pickle) and
 * one raw little-endian entry {@code <prefix>/data/<key>} per storage. The pickle is run by
 * {@link RestrictedUnpickler} with an allow-list: {@code collections.OrderedDict}, the tensor rebuild
 * functions of {@code torch._utils} / {@code torch._tensor}, the typed storage markers, and a few data-only
 * helpers. Configuration objects that checkpoints carry beside their weights (fairseq/OmegaConf configs,
 * argparse namespaces, NumPy scalars, {@code torch.device}) become inert {@link PickleGlobal.Instance}
 * records. Every other global — {@code os.system}, {@code builtins.eval}, {@code subprocess.Popen}, any
 * unknown class — is refused with an error naming it. Sizes are checked before allocation: a storage's
 * zip entry must hold exactly numel * element-size bytes, and a tensor's offset, shape and strides must stay
 * inside its storage. float16/bfloat16 storages are widened to float32 exactly. Budgets: the pickle's size and
 * object graph ({@link PickleLimits}), integer-typed and overflow-checked sizes, offsets and strides, and every
 * storage and tensor checked against the {@link dev.earshot.HeapBudget} before it is allocated.
 */
public final class TorchCheckpointReader {
  private static final Set<String> INERT_MODULE_PREFIXES =
      Set.of("argparse", "omegaconf", "fairseq", "numpy", "typing", "pathlib", "enum", "hydra");
  private static final Set<String> INERT_GLOBALS = Set.of(
      "torch.device", "torch.Size", "torch.dtype", "builtins.dict", "builtins.list", "builtins.tuple",
      "builtins.object", "builtins.slice", "builtins.range", "collections.defaultdict", "__builtin__.object",
      "copy_reg._reconstructor", "copyreg._reconstructor", "__builtin__.dict");

  private TorchCheckpointReader() {}

  /** The element type of a storage. */
  enum StorageType {
    FLOAT(4), DOUBLE(8), HALF(2), BFLOAT16(2), LONG(8), INT(4), SHORT(2), CHAR(1), BYTE(1), BOOL(1);

    final int bytes;

    StorageType(int bytes) {
      this.bytes = bytes;
    }

    boolean floating() {
      return this == FLOAT || this == DOUBLE || this == HALF || this == BFLOAT16;
    }

    static StorageType of(String name) {
      switch (name) {
        case "FloatStorage": return FLOAT;
        case "DoubleStorage": return DOUBLE;
        case "HalfStorage": return HALF;
        case "BFloat16Storage": return BFLOAT16;
        case "LongStorage": return LONG;
        case "IntStorage": return INT;
        case "ShortStorage": return SHORT;
        case "CharStorage": return CHAR;
        case "ByteStorage": return BYTE;
        case "BoolStorage": return BOOL;
        default: return null;
      }
    }
  }

  /** A storage's decoded values (floats or longs) and its element count. */
  private record Storage(StorageType type, float[] floats, long[] longs, long numel) {}

  /**
   * Reads the whole object graph: maps (string keys), lists, {@link RestrictedUnpickler.Tuple}s, numbers,
   * strings, {@link HostTensor}s and inert {@link PickleGlobal.Instance}s.
   */
  public static Object read(Path file) {
    if (!Files.exists(file)) {
      throw new CheckpointFormatException(file, "no such file");
    }
    try (ZipFile zip = new ZipFile(file.toFile())) {
      return read(file, zip);
    } catch (StackOverflowError e) {
      throw new CheckpointFormatException(file, "checkpoint object graph is nested too deeply", e);
    } catch (ZipException e) {
      String legacy = legacyHint(file);
      throw new CheckpointFormatException(file, "not a PyTorch zip checkpoint (" + e.getMessage() + ")" + legacy, e);
    } catch (NoSuchFileException e) {
      throw new CheckpointFormatException(file, "no such file", e);
    } catch (IOException e) {
      throw new CheckpointFormatException(file, "cannot read: " + e.getMessage(), e);
    }
  }

  /** The tensors of a checkpoint's state dict found at {@code path} (keys joined by dots; "" = the root). */
  public static Map<String, HostTensor> stateDict(Path file, Object root, String... path) {
    Object node = root;
    for (String key : path) {
      if (!(node instanceof Map<?, ?> m) || !m.containsKey(key)) {
        String keys = "nothing";
        if (node instanceof Map<?, ?> r) {
          List<String> some = r.keySet().stream().limit(5).map(String::valueOf).toList();
          keys = r.size() + " keys such as " + some;
        }
        throw new CheckpointFormatException(file, "checkpoint has no entry '" + String.join(".", path)
            + "' (it holds " + keys + "; is this the right --from format?)");
      }
      node = m.get(key);
    }
    if (!(node instanceof Map<?, ?> m)) {
      throw new CheckpointFormatException(file, "entry '" + String.join(".", path) + "' is not a state dict");
    }
    Map<String, HostTensor> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : m.entrySet()) {
      if (e.getValue() instanceof HostTensor t) {
        out.put(String.valueOf(e.getKey()), t);
      }
    }
    return out;
  }

  private static Object read(Path file, ZipFile zip) throws IOException {
    ZipEntry pickle = null;
    Enumeration<? extends ZipEntry> entries = zip.entries();
    while (entries.hasMoreElements()) {
      ZipEntry e = entries.nextElement();
      if (e.getName().endsWith("/data.pkl") || e.getName().equals("data.pkl")) {
        pickle = e;
        break;
      }
    }
    if (pickle == null) {
      throw new CheckpointFormatException(file, "zip archive without data.pkl: not a torch.save checkpoint");
    }
    String prefix = pickle.getName().substring(0, pickle.getName().length() - "data.pkl".length());
    ZipEntry order = zip.getEntry(prefix + "byteorder");
    if (order != null) {
      try (InputStream in = zip.getInputStream(order)) {
        String o = new String(in.readNBytes(16), java.nio.charset.StandardCharsets.US_ASCII).trim();
        if (!o.equals("little")) {
          throw new CheckpointFormatException(file, "big-endian checkpoints are not supported (byteorder " + o + ")");
        }
      }
    }
    long maxPickle = PickleLimits.DEFAULT.maxPickleBytes();
    if (pickle.getSize() > maxPickle) {
      throw new CheckpointFormatException(file, "data.pkl of " + pickle.getSize() + " bytes is larger than the "
          + maxPickle + " accepted");
    }
    byte[] pkl;
    try (InputStream in = zip.getInputStream(pickle)) {
      pkl = in.readNBytes((int) maxPickle + 1); // the declared size may lie: never inflate past the limit
    }
    return unpickle(file, pkl, new StorageEntries() {
      @Override
      public long size(String key) {
        ZipEntry e = zip.getEntry(prefix + "data/" + key);
        return e == null ? -1 : e.getSize();
      }

      @Override
      public byte[] read(String key, int bytes) throws IOException {
        try (InputStream in = zip.getInputStream(zip.getEntry(prefix + "data/" + key))) {
          return in.readNBytes(bytes);
        }
      }
    });
  }

  /** The raw bytes of a checkpoint's storages, by key. */
  interface StorageEntries {
    /** The entry's size in bytes, or -1 when there is none. */
    long size(String key);

    /** At most {@code bytes} bytes of the entry. */
    byte[] read(String key, int bytes) throws IOException;
  }

  /** Runs a data.pkl whose storages are in {@code entries} ({@code file} names it in errors). */
  static Object unpickle(Path file, byte[] pickle, StorageEntries entries) {
    Map<String, Storage> storages = new HashMap<>();
    RestrictedUnpickler unpickler = new RestrictedUnpickler(file, pickle,
        global -> resolve(file, global[0], global[1]),
        pid -> loadStorage(file, entries, pid, storages));
    try {
      return unpickler.load();
    } catch (StackOverflowError e) {
      throw new CheckpointFormatException(file, "checkpoint object graph is nested too deeply", e);
    }
  }

  private static Object resolve(Path file, String module, String name) {
    String full = module + "." + name;
    switch (full) {
      case "collections.OrderedDict":
        return (RestrictedUnpickler.Callable) args -> new LinkedHashMap<>();
      case "torch._utils._rebuild_tensor_v2":
      case "torch._utils._rebuild_tensor":
        return (RestrictedUnpickler.Callable) args -> rebuildTensor(file, args);
      case "torch._utils._rebuild_parameter":
      case "torch._utils._rebuild_parameter_with_state":
        return (RestrictedUnpickler.Callable) args -> args.get(0);
      case "torch._tensor._rebuild_from_type_v2":
        return (RestrictedUnpickler.Callable) args -> {
          Object fn = args.get(0);
          if (!(fn instanceof RestrictedUnpickler.Callable c)) {
            throw new CheckpointFormatException(file, "refused _rebuild_from_type_v2 of "
                + RestrictedUnpickler.describe(fn));
          }
          Object inner = args.get(2);
          return c.call(inner instanceof RestrictedUnpickler.Tuple t ? t.items() : List.of(inner));
        };
      case "builtins.set":
      case "builtins.frozenset":
      case "__builtin__.set":
        return (RestrictedUnpickler.Callable) args -> args.isEmpty() ? new ArrayList<>() : args.get(0);
      case "_codecs.encode":
        return (RestrictedUnpickler.Callable) args -> {
          if (args.isEmpty() || !(args.get(0) instanceof String text)) {
            throw new CheckpointFormatException(file, "malformed _codecs.encode call");
          }
          return text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        };
      default:
        break;
    }
    if (module.equals("torch") && StorageType.of(name) != null) {
      return StorageType.of(name);
    }
    if (INERT_GLOBALS.contains(full) || INERT_MODULE_PREFIXES.contains(module.split("\\.")[0])) {
      return new PickleGlobal(module, name);
    }
    throw new CheckpointFormatException(file, "refused pickle global '" + full
        + "': checkpoint loading never executes code from the file; only state-dict globals are allowed");
  }

  private static Storage loadStorage(Path file, StorageEntries entries, Object pid, Map<String, Storage> cache) {
    if (!(pid instanceof List<?> id) || id.size() < 5 || !"storage".equals(id.get(0))) {
      throw new CheckpointFormatException(file, "unexpected persistent id " + RestrictedUnpickler.describe(pid));
    }
    if (!(id.get(1) instanceof StorageType type)) {
      throw new CheckpointFormatException(file, "unsupported storage type " + RestrictedUnpickler.describe(id.get(1)));
    }
    if (!(id.get(2) instanceof String || id.get(2) instanceof Long)) {
      throw new CheckpointFormatException(file, "storage key " + RestrictedUnpickler.describe(id.get(2))
          + " is not a name");
    }
    String key = String.valueOf(id.get(2));
    long numel = count(file, id.get(4), "storage " + key + " element count");
    Storage cached = cache.get(key);
    if (cached != null) {
      if (cached.type() != type || cached.numel() != numel) {
        throw new CheckpointFormatException(file, "storage " + key + " is declared twice, differently");
      }
      return cached;
    }
    long size = entries.size(key);
    if (size < 0) {
      throw new CheckpointFormatException(file, "storage " + key + " is missing from the archive (truncated file?)");
    }
    if (numel > Integer.MAX_VALUE - 8) {
      throw new CheckpointFormatException(file, "storage " + key + " has " + numel + " elements; too large");
    }
    long expected = numel * type.bytes;
    if (size != expected) {
      throw new CheckpointFormatException(file, "storage " + key + " claims " + numel + " elements (" + expected
          + " bytes) but its archive entry holds " + size + " bytes");
    }
    CheckpointFormatException.requireMemory(file, expected + numel * (type.floating() ? 4L : 8L), "storage " + key);
    byte[] raw;
    try {
      raw = entries.read(key, (int) expected);
    } catch (IOException e) {
      throw new CheckpointFormatException(file, "cannot read storage " + key + ": " + e.getMessage(), e);
    }
    if (raw.length != expected) {
      throw new CheckpointFormatException(file, "storage " + key + " is truncated");
    }
    Storage storage = decode(type, raw, (int) numel);
    cache.put(key, storage);
    return storage;
  }

  /** A non-negative integer from the pickle, or a typed error naming {@code what}. */
  private static long count(Path file, Object value, String what) {
    if (!(value instanceof Long v) || v < 0) {
      throw new CheckpointFormatException(file, what + " is " + RestrictedUnpickler.describe(value)
          + ", not a non-negative integer");
    }
    return v;
  }

  private static Storage decode(StorageType type, byte[] raw, int n) {
    ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
    if (type.floating()) {
      float[] f = new float[n];
      for (int i = 0; i < n; i++) {
        switch (type) {
          case FLOAT -> f[i] = b.getFloat(4 * i);
          case DOUBLE -> f[i] = (float) b.getDouble(8 * i);
          case HALF -> f[i] = HalfFloats.halfToFloat(b.getShort(2 * i));
          default -> f[i] = Float.intBitsToFloat((b.getShort(2 * i) & 0xFFFF) << 16);
        }
      }
      return new Storage(type, f, null, n);
    }
    long[] l = new long[n];
    for (int i = 0; i < n; i++) {
      switch (type) {
        case LONG -> l[i] = b.getLong(8 * i);
        case INT -> l[i] = b.getInt(4 * i);
        case SHORT -> l[i] = b.getShort(2 * i);
        case CHAR -> l[i] = b.get(i);
        default -> l[i] = b.get(i) & 0xFF;
      }
    }
    return new Storage(type, null, l, n);
  }

  private static HostTensor rebuildTensor(Path file, List<Object> args) {
    if (args.size() < 4 || !(args.get(0) instanceof Storage storage)) {
      throw new CheckpointFormatException(file, "malformed tensor record " + RestrictedUnpickler.describe(args));
    }
    long offset = count(file, args.get(1), "tensor storage offset");
    long[] size = longs(file, args.get(2), "tensor size");
    long[] stride = longs(file, args.get(3), "tensor stride");
    if (size.length != stride.length) {
      throw new CheckpointFormatException(file, "tensor with " + size.length + " sizes but " + stride.length + " strides");
    }
    long numel = 1;
    long extent = offset;
    try {
      for (int i = 0; i < size.length; i++) {
        numel = Math.multiplyExact(numel, size[i]);
        if (size[i] > 0) {
          extent = Math.addExact(extent, Math.multiplyExact(size[i] - 1, stride[i]));
        }
      }
    } catch (ArithmeticException e) {
      throw new CheckpointFormatException(file, "tensor of shape " + Arrays.toString(size) + " and strides "
          + Arrays.toString(stride) + " overflows 64 bits");
    }
    if (numel > 0 && extent >= storage.numel()) {
      throw new CheckpointFormatException(file, "tensor of shape " + Arrays.toString(size)
          + " at offset " + offset + " reaches element " + extent + " of a storage of " + storage.numel());
    }
    if (numel > Integer.MAX_VALUE - 8) {
      throw new CheckpointFormatException(file, "tensor of shape " + Arrays.toString(size) + " has " + numel
          + " elements; too large for one array");
    }
    if (numel > storage.numel()) {
      // only a broadcast (stride-0) view can be larger than its storage; state dicts never hold one, and
      // refusing it keeps the work of loading proportional to the file
      throw new CheckpointFormatException(file, "tensor of shape " + Arrays.toString(size) + " has " + numel
          + " elements, more than its storage's " + storage.numel() + " (expanded stride-0 views are not supported)");
    }
    // a view may be larger than its storage (stride 0 repeats elements): every view is budgeted
    CheckpointFormatException.requireMemory(file, numel * (storage.floats() != null ? 4L : 8L), "tensor of shape " + Arrays.toString(size));
    int n = (int) numel;
    int[] index = new int[size.length];
    if (storage.floats() != null) {
      float[] out = new float[n];
      for (int i = 0; i < n; i++) {
        out[i] = storage.floats()[(int) position(offset, index, stride)];
        advance(index, size);
      }
      return HostTensor.ofFloats(out, size);
    }
    long[] out = new long[n];
    for (int i = 0; i < n; i++) {
      out[i] = storage.longs()[(int) position(offset, index, stride)];
      advance(index, size);
    }
    return HostTensor.ofLongs(out, size);
  }

  private static long position(long offset, int[] index, long[] stride) {
    long p = offset;
    for (int d = 0; d < index.length; d++) {
      p += index[d] * stride[d];
    }
    return p;
  }

  private static void advance(int[] index, long[] size) {
    for (int d = index.length - 1; d >= 0; d--) {
      if (++index[d] < size[d]) {
        return;
      }
      index[d] = 0;
    }
  }

  /** A shape or stride: a tuple (or list) of at most 64 non-negative integers. */
  private static long[] longs(Path file, Object tuple, String what) {
    List<?> items = tuple instanceof RestrictedUnpickler.Tuple t ? t.items() : tuple instanceof List<?> l ? l : null;
    if (items == null || items.size() > 64) {
      throw new CheckpointFormatException(file, what + " is " + RestrictedUnpickler.describe(tuple)
          + ", not a tuple of at most 64 integers");
    }
    long[] out = new long[items.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = count(file, items.get(i), what);
    }
    return out;
  }

  private static String legacyHint(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] head = in.readNBytes(2);
      if (head.length == 2 && (head[0] & 0xFF) == 0x80) {
        return "; it looks like the legacy (torch < 1.6) format: re-save it with torch.save(obj, path) on torch >= 1.6";
      }
    } catch (IOException e) {
      // ignore: the main message stands
    }
    return "";
  }
}
