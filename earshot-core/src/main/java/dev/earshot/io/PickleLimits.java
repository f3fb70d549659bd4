package dev.earshot.io;

/**
 * What one pickle may build before {@link RestrictedUnpickler} refuses it. Every opcode does a bounded amount
 * of work, so these bounds (with the pickle's byte length, which also bounds every string) bound the time and
 * memory of loading, whatever the file says.
 *
 * @param maxPickleBytes largest pickle accepted (torch's data.pkl of a 10,000-tensor checkpoint is ~2 MB)
 * @param maxObjects values pushed, memoised or inserted into containers, in total
 * @param maxDepth deepest nesting of containers, measured along first visits (a cycle is not infinitely deep)
 */
public record PickleLimits(long maxPickleBytes, long maxObjects, int maxDepth) {
  /** 64 MiB of pickle, 8 million objects, nesting 1,000 deep. */
  public static final PickleLimits DEFAULT = new PickleLimits(64L << 20, 8_000_000, 1000);

  public PickleLimits {
    if (maxPickleBytes < 1 || maxObjects < 1 || maxDepth < 1) {
      throw new IllegalArgumentException("pickle limits must be positive");
    }
  }
}
