package dev.earshot.features;

/**
 * Whether the filterbank may use {@link VectorizedFbank}: the JDK's incubating vector module must be in the
 * boot layer ({@code --add-modules jdk.incubator.vector}; the {@code earshot} launcher adds it), and the
 * system property {@code earshot.vectorFbank} must not be {@code false}. Kept apart from
 * {@link VectorizedFbank} so that checking never loads the vector classes.
 */
final class VectorSupport {
  private static final boolean PRESENT = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
      && !"false".equalsIgnoreCase(System.getProperty("earshot.vectorFbank"));

  private VectorSupport() {}

  /** True when {@code config}'s frames can go through {@link VectorizedFbank}. */
  static boolean usable(FbankConfig config) {
    int p = config.paddedWindowSize();
    return PRESENT && p >= 8 && Integer.bitCount(p) == 1;
  }

  /** True when the vector module is available at all (for reports). */
  static boolean present() {
    return PRESENT;
  }
}
