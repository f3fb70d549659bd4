package dev.earshot.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A pickle virtual machine (protocols 0-4) that builds only data: dicts, lists, tuples, numbers, strings,
 * bytes, and whatever the caller's resolver makes of each global. It executes nothing from the file.
 *
 * <p>Every GLOBAL / STACK_GLOBAL opcode is passed to the resolver, which returns either a {@link Callable}
 * (allowed functions such as {@code torch._utils._rebuild_tensor_v2}, implemented in Java), any other
 * object (a marker such as a storage type, or an inert {@link PickleGlobal}), or throws to refuse the file.
 * REDUCE / NEWOBJ on a {@link Callable} calls it; on an inert {@link PickleGlobal} they record a
 * {@link PickleGlobal.Instance}; on anything else they refuse. Protocol-5 out-of-band buffers and the
 * old INST / OBJ opcodes are refused.
 *
 * <p>Budgets ({@link PickleLimits}): the objects built are counted and their nesting is measured, dict keys
 * must be hashable values (strings, numbers, booleans, None, bytes, tuples of these), and error messages show
 * values through {@link #describe(Object)}, which is bounded in length however large or cyclic the value is.
 * Every malformed input ends in a {@link CheckpointFormatException}.
 */
public final class RestrictedUnpickler {
  /** A Python callable implemented in Java, reached through an allowed global. */
  @FunctionalInterface
  public interface Callable {
    Object call(List<Object> args);
  }

  /** Python tuples, kept distinct from lists. */
  public record Tuple(List<Object> items) {}

  private static final Object MARK = new Object();

  private final Path file;
  private final ByteBuffer in;
  private final Function<String[], Object> resolver;
  private final Function<Object, Object> persistentLoad;
  private final List<Object> stack = new ArrayList<>();
  private final List<Integer> marks = new ArrayList<>();
  private final Map<Integer, Object> memo = new HashMap<>();
  private final PickleLimits limits;
  private long objects;

  /**
   * @param file for error messages
   * @param data the pickle bytes
   * @param resolver maps {module, name} to what the global stands for, or throws to refuse it
   * @param persistentLoad resolves persistent ids (PyTorch storages); may be null when none are expected
   */
  public RestrictedUnpickler(Path file, byte[] data, Function<String[], Object> resolver,
      Function<Object, Object> persistentLoad) {
    this(file, data, resolver, persistentLoad, PickleLimits.DEFAULT);
  }

  /** As above, with explicit budgets. */
  public RestrictedUnpickler(Path file, byte[] data, Function<String[], Object> resolver,
      Function<Object, Object> persistentLoad, PickleLimits limits) {
    if (data.length > limits.maxPickleBytes()) {
      throw new CheckpointFormatException(file, "pickle of " + data.length + " bytes is larger than the "
          + limits.maxPickleBytes() + " accepted");
    }
    this.limits = limits;
    this.file = file;
    this.in = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    this.resolver = resolver;
    this.persistentLoad = persistentLoad;
  }

  /** Runs the pickle to its STOP opcode and returns the top object. */
  public Object load() {
    try {
      while (true) {
        int op = in.get() & 0xFF;
        switch (op) {
          case 0x80 -> in.get(); // PROTO
          case 0x95 -> in.getLong(); // FRAME
          case '.' -> {
            Object result = pop();
            checkDepth(result);
            return result;
          }
          case '(' -> marks.add(stack.size());
          case '}' -> push(new LinkedHashMap<Object, Object>());
          case ']' -> push(new ArrayList<Object>());
          case ')' -> push(new Tuple(List.of()));
          case 0x8f -> push(new ArrayList<Object>()); // EMPTY_SET, kept as a list
          case 't' -> push(new Tuple(new ArrayList<>(popMark())));
          case 0x85 -> push(new Tuple(List.of(pop())));
          case 0x86 -> {
            Object b = pop();
            Object a = pop();
            push(new Tuple(Arrays.asList(a, b)));
          }
          case 0x87 -> {
            Object c = pop();
            Object b = pop();
            Object a = pop();
            push(new Tuple(Arrays.asList(a, b, c)));
          }
          case 'l' -> push(new ArrayList<>(popMark()));
          case 0x91 -> push(new ArrayList<>(popMark())); // FROZENSET
          case 'd' -> {
            List<Object> items = popMark();
            Map<Object, Object> m = new LinkedHashMap<>();
            for (int i = 0; i + 1 < items.size(); i += 2) {
              m.put(key(items.get(i)), items.get(i + 1));
            }
            count(items.size());
            push(m);
          }
          case 'a' -> {
            Object v = pop();
            list(peek()).add(v);
            count(1);
          }
          case 'e', 0x90 -> { // APPENDS, ADDITEMS
            List<Object> items = popMark();
            list(peek()).addAll(items);
            count(items.size());
          }
          case 's' -> {
            Object v = pop();
            Object k = pop();
            map(peek()).put(key(k), v);
            count(1);
          }
          case 'u' -> {
            List<Object> items = popMark();
            Map<Object, Object> m = map(peek());
            for (int i = 0; i + 1 < items.size(); i += 2) {
              m.put(key(items.get(i)), items.get(i + 1));
            }
            count(items.size());
          }
          case 'q' -> memoPut(in.get() & 0xFF, peek());
          case 'r' -> memoPut(in.getInt(), peek());
          case 0x94 -> memoPut(memo.size(), peek()); // MEMOIZE
          case 'p' -> memoPut(Integer.parseInt(line()), peek());
          case 'h' -> push(memoGet(in.get() & 0xFF));
          case 'j' -> push(memoGet(in.getInt()));
          case 'g' -> push(memoGet(Integer.parseInt(line())));
          case 'J' -> push((long) in.getInt());
          case 'K' -> push((long) (in.get() & 0xFF));
          case 'M' -> push((long) (in.getShort() & 0xFFFF));
          case 0x8a -> push(littleEndianLong(in.get() & 0xFF));
          case 0x8b -> push(littleEndianLong(in.getInt()));
          case 'I' -> {
            String s = line();
            push(s.equals("01") ? (Object) Boolean.TRUE : s.equals("00") ? (Object) Boolean.FALSE : Long.parseLong(s));
          }
          case 'L' -> push(Long.parseLong(line().replace("L", "")));
          case 'G' -> push(Double.longBitsToDouble(Long.reverseBytes(in.getLong())));
          case 'F' -> push(Double.parseDouble(line()));
          case 'N' -> push(null);
          case 0x88 -> push(Boolean.TRUE);
          case 0x89 -> push(Boolean.FALSE);
          case 'X' -> push(utf8(in.getInt()));
          case 0x8c -> push(utf8(in.get() & 0xFF));
          case 0x8d -> push(utf8(length(in.getLong())));
          case 'V' -> push(line());
          case 'T' -> push(latin1(in.getInt()));
          case 'U' -> push(latin1(in.get() & 0xFF));
          case 'B' -> push(bytes(in.getInt()));
          case 'C' -> push(bytes(in.get() & 0xFF));
          case 0x8e -> push(bytes(length(in.getLong())));
          case 'S' -> push(line());
          case 'c' -> {
            String module = line();
            String name = line();
            push(resolver.apply(new String[] {module, name}));
          }
          case 0x93 -> {
            Object name = pop();
            Object module = pop();
            if (!(module instanceof String m) || !(name instanceof String n)) {
              throw new CheckpointFormatException(file, "malformed pickle: STACK_GLOBAL of " + describe(module)
                  + " and " + describe(name) + " (two strings expected)");
            }
            push(resolver.apply(new String[] {m, n}));
          }
          case 'R' -> {
            Object args = pop();
            Object fn = pop();
            push(call(fn, tupleItems(args)));
          }
          case 0x81 -> { // NEWOBJ
            Object args = pop();
            Object cls = pop();
            push(call(cls, tupleItems(args)));
          }
          case 0x92 -> { // NEWOBJ_EX
            pop(); // kwargs
            Object args = pop();
            Object cls = pop();
            push(call(cls, tupleItems(args)));
          }
          case 'b' -> {
            Object state = pop();
            Object target = peek();
            build(target, state);
          }
          case 'Q' -> push(persistent(pop()));
          case 'P' -> push(persistent(line()));
          case '0' -> pop();
          case '1' -> popMark();
          case '2' -> push(peek());
          case 'i', 'o' -> throw refuse("old-style instance opcode (INST/OBJ)");
          case 0x96, 0x97, 0x98 -> throw refuse("protocol-5 out-of-band buffers");
          default -> throw new CheckpointFormatException(file,
              "malformed pickle: unknown opcode 0x" + Integer.toHexString(op) + " at byte " + (in.position() - 1));
        }
      }
    } catch (java.nio.BufferUnderflowException e) {
      throw new CheckpointFormatException(file, "pickle data ends early (truncated file?)", e);
    } catch (IndexOutOfBoundsException | ClassCastException | NumberFormatException | ArithmeticException
        | NullPointerException e) {
      throw new CheckpointFormatException(file, "malformed pickle near byte " + in.position() + ": "
          + e.getClass().getSimpleName(), e);
    } catch (StackOverflowError e) {
      throw new CheckpointFormatException(file, "pickle object graph is nested too deeply", e);
    }
  }

  private Object call(Object fn, List<Object> args) {
    if (fn instanceof Callable c) {
      return c.call(args);
    }
    if (fn instanceof PickleGlobal g) {
      return new PickleGlobal.Instance(g, args, null);
    }
    throw refuse("a call of " + describe(fn));
  }

  private void build(Object target, Object state) {
    if (target instanceof PickleGlobal.Instance inst) {
      stack.set(stack.size() - 1, new PickleGlobal.Instance(inst.type(), inst.args(), state));
    }
    // BUILD on a dict sets attributes (a state dict's _metadata), not items; on tensors it sets
    // requires_grad / hooks. Nothing of that is kept.
  }

  private Object persistent(Object pid) {
    if (persistentLoad == null) {
      throw new CheckpointFormatException(file, "unexpected persistent id in pickle");
    }
    return persistentLoad.apply(pid instanceof Tuple t ? t.items() : pid);
  }

  private CheckpointFormatException refuse(String what) {
    return new CheckpointFormatException(file, "refused " + what
        + ": checkpoint loading never executes code from the file");
  }

  /**
   * A short description of a pickled value for error messages: its type and the beginning of its contents,
   * at most about 120 characters whatever its size, sharing or cycles.
   */
  public static String describe(Object o) {
    StringBuilder sb = new StringBuilder();
    appendBounded(sb, o, 120);
    if (sb.length() >= 120) {
      sb.setLength(120);
      sb.append("...");
    }
    return sb.toString();
  }

  private static void appendBounded(StringBuilder sb, Object o, int limit) {
    if (sb.length() >= limit) {
      return;
    }
    if (o == null) {
      sb.append("None");
    } else if (o instanceof String s) {
      sb.append('\'').append(s, 0, Math.min(s.length(), limit - sb.length() + 1)).append('\'');
    } else if (o instanceof Number || o instanceof Boolean) {
      sb.append(o);
    } else if (o instanceof byte[] b) {
      sb.append("bytes[").append(b.length).append(']');
    } else if (o instanceof Tuple t) {
      appendItems(sb, t.items(), "(", ")", limit);
    } else if (o instanceof List<?> l) {
      appendItems(sb, l, "[", "]", limit);
    } else if (o instanceof Map<?, ?> m) {
      sb.append("dict of ").append(m.size());
    } else if (o instanceof PickleGlobal.Instance inst) {
      sb.append(inst.type()).append("(...)");
    } else if (o instanceof PickleGlobal g) {
      sb.append(g);
    } else {
      sb.append(o.getClass().getSimpleName());
    }
  }

  private static void appendItems(StringBuilder sb, List<?> items, String open, String close, int limit) {
    sb.append(open);
    int n = items.size();
    for (int i = 0; i < n && sb.length() < limit; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      appendBounded(sb, items.get(i), limit);
    }
    sb.append(close);
  }

  /** Deepest nesting a dict key may have (a tuple of tuples of ...). */
  private static final int MAX_KEY_DEPTH = 32;
  /** Most values one dict key may hold (tuples may share items, so this also bounds hashing time). */
  private static final int MAX_KEY_VALUES = 10_000;

  /** A dict key as Java will hash it; only hashable values (as in Python), so hashing is bounded. */
  private Object key(Object k) {
    int[] budget = {MAX_KEY_VALUES};
    requireHashable(k, 0, budget);
    return k instanceof Tuple t ? t.items() : k;
  }

  private void requireHashable(Object k, int depth, int[] budget) {
    if (--budget[0] < 0) {
      throw new CheckpointFormatException(file, "malformed pickle: a dict key holds more than " + MAX_KEY_VALUES
          + " values");
    }
    if (k == null || k instanceof String || k instanceof Number || k instanceof Boolean || k instanceof byte[]
        || k instanceof PickleGlobal) {
      return;
    }
    if (k instanceof Tuple t && depth < MAX_KEY_DEPTH) {
      for (Object item : t.items()) {
        requireHashable(item, depth + 1, budget);
      }
      return;
    }
    throw new CheckpointFormatException(file, "malformed pickle: unhashable dict key " + describe(k));
  }

  private void count(long n) {
    objects += n;
    if (objects > limits.maxObjects()) {
      throw new CheckpointFormatException(file, "pickle builds more than " + limits.maxObjects()
          + " objects; refused as a resource bomb");
    }
  }

  private void memoPut(int index, Object value) {
    memo.put(index, value);
    count(1);
  }

  private int length(long n) {
    if (n < 0 || n > in.remaining()) {
      throw new CheckpointFormatException(file, "pickle string of " + n + " bytes runs past the end of the data");
    }
    return (int) n;
  }

  /**
   * Measures the nesting of the result without recursion: depth-first along first visits, so shared values
   * are measured once and cycles (OmegaConf configs refer to their parents) end where they close.
   */
  private void checkDepth(Object root) {
    java.util.IdentityHashMap<Object, Boolean> seen = new java.util.IdentityHashMap<>();
    java.util.ArrayDeque<Object[]> todo = new java.util.ArrayDeque<>();
    todo.push(new Object[] {root, 0});
    while (!todo.isEmpty()) {
      Object[] top = todo.pop();
      Object o = top[0];
      int depth = (Integer) top[1];
      if (depth > limits.maxDepth()) {
        throw new CheckpointFormatException(file, "pickle object graph is nested more than " + limits.maxDepth()
            + " levels deep; refused");
      }
      if (!(o instanceof List || o instanceof Map || o instanceof Tuple || o instanceof PickleGlobal.Instance)
          || seen.put(o, Boolean.TRUE) != null) {
        continue;
      }
      for (Object child : children(o)) {
        todo.push(new Object[] {child, depth + 1});
      }
    }
  }

  private static List<Object> children(Object o) {
    List<Object> out = new ArrayList<>();
    if (o instanceof List<?> l) {
      out.addAll(l);
    } else if (o instanceof Tuple t) {
      out.addAll(t.items());
    } else if (o instanceof Map<?, ?> m) {
      m.forEach((k, v) -> {
        out.add(k);
        out.add(v);
      });
    } else if (o instanceof PickleGlobal.Instance inst) {
      out.addAll(inst.args());
      out.add(inst.state());
    }
    return out;
  }

  private static List<Object> tupleItems(Object o) {
    if (o instanceof Tuple t) {
      return t.items();
    }
    if (o instanceof List<?> l) {
      return new ArrayList<>(l);
    }
    throw new ClassCastException("expected a tuple of arguments, got " + describe(o));
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object o) {
    return (List<Object>) o;
  }

  @SuppressWarnings("unchecked")
  private static Map<Object, Object> map(Object o) {
    if (o instanceof PickleGlobal.Instance) {
      return new LinkedHashMap<>(); // SETITEMS on an inert object: dropped
    }
    return (Map<Object, Object>) o;
  }

  private Object memoGet(int index) {
    if (!memo.containsKey(index)) {
      throw new CheckpointFormatException(file, "malformed pickle: memo entry " + index + " missing");
    }
    return memo.get(index);
  }

  private void push(Object o) {
    stack.add(o);
    count(1);
  }

  private Object pop() {
    Object o = stack.remove(stack.size() - 1);
    if (o == MARK) {
      throw new CheckpointFormatException(file, "malformed pickle: mark popped as value");
    }
    return o;
  }

  private Object peek() {
    return stack.get(stack.size() - 1);
  }

  private List<Object> popMark() {
    if (marks.isEmpty()) {
      throw new CheckpointFormatException(file, "malformed pickle: no mark");
    }
    int start = marks.remove(marks.size() - 1);
    if (start > stack.size()) {
      throw new CheckpointFormatException(file, "malformed pickle: values popped from below a mark");
    }
    List<Object> items = new ArrayList<>(stack.subList(start, stack.size()));
    stack.subList(start, stack.size()).clear();
    return items;
  }

  private String line() {
    int start = in.position();
    while (in.get() != '\n') {
      // scan
    }
    return new String(in.array(), start, in.position() - start - 1, StandardCharsets.UTF_8);
  }

  private String utf8(int n) {
    checkLength(n);
    String s = new String(in.array(), in.position(), n, StandardCharsets.UTF_8);
    in.position(in.position() + n);
    return s;
  }

  private String latin1(int n) {
    checkLength(n);
    String s = new String(in.array(), in.position(), n, StandardCharsets.ISO_8859_1);
    in.position(in.position() + n);
    return s;
  }

  private byte[] bytes(int n) {
    checkLength(n);
    byte[] b = Arrays.copyOfRange(in.array(), in.position(), in.position() + n);
    in.position(in.position() + n);
    return b;
  }

  private void checkLength(int n) {
    if (n < 0 || n > in.remaining()) {
      throw new CheckpointFormatException(file, "pickle string of " + n + " bytes runs past the end of the data");
    }
  }

  private Object littleEndianLong(int n) {
    checkLength(n);
    if (n == 0) {
      return 0L;
    }
    if (n > 8) {
      byte[] b = bytes(n);
      byte[] big = new byte[n];
      for (int i = 0; i < n; i++) {
        big[i] = b[n - 1 - i];
      }
      return new java.math.BigInteger(big);
    }
    long v = 0;
    for (int i = 0; i < n; i++) {
      v |= (long) (in.get() & 0xFF) << (8 * i);
    }
    int shift = 64 - 8 * n;
    return (v << shift) >> shift;
  }
}
