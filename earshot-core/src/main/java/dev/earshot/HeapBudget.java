package dev.earshot;

/**
 * How much Java heap a reader may claim for what one file asks for, checked before the allocation: a size
 * read from a file (an audio header, a pickle, a tensor shape) is never trusted with memory it has not been
 * compared to.
 *
 * <p>The budget is three quarters of the heap that is not in use when the check runs (the maximum heap minus
 * what is allocated now; when that is too little, once more after a garbage collection). A request above it
 * fails with the reader's own typed error naming the file, the thing and the sizes, instead of an
 * {@link OutOfMemoryError} that would take the whole run with it.
 */
public final class HeapBudget {
  private HeapBudget() {}

  /** Bytes a reader may still allocate now. */
  public static long available() {
    Runtime rt = Runtime.getRuntime();
    long used = rt.totalMemory() - rt.freeMemory();
    return Math.max(0, (rt.maxMemory() - used) / 4 * 3);
  }

  /** Null when {@code bytes} fit the budget, else the problem as a sentence for the reader's own error type. */
  public static String shortfall(long bytes, String what) {
    long budget = available();
    if (bytes > budget && bytes <= Runtime.getRuntime().maxMemory() / 4 * 3) {
      System.gc(); // what is "in use" includes garbage; look again before refusing what could fit
      budget = available();
    }
    if (bytes < 0 || bytes > budget) {
      return what + " needs " + megabytes(bytes) + " of memory, more than the " + megabytes(budget)
          + " available to it (raise -Xmx if the file is genuine)";
    }
    return null;
  }

  /** Bytes as "12.3 MB". */
  public static String megabytes(long bytes) {
    return bytes < 0 ? "more than 8 EB" : String.format(java.util.Locale.ROOT, "%.1f MB", bytes / 1e6);
  }
}
