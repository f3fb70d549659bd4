package dev.earshot.plot;

/** A perceptually ordered dark-blue to yellow colour ramp (anchor colours of the viridis map). */
final class ColorRamp {
  private static final int[][] ANCHORS = {
    {68, 1, 84}, {72, 40, 120}, {62, 74, 137}, {49, 104, 142}, {38, 130, 142},
    {31, 158, 137}, {53, 183, 121}, {109, 205, 89}, {180, 222, 44}, {253, 231, 37}
  };

  private ColorRamp() {}

  /** Packed RGB for {@code v} in [0, 1]. */
  static int rgb(double v) {
    double x = Math.max(0, Math.min(1, v)) * (ANCHORS.length - 1);
    int i = Math.min((int) x, ANCHORS.length - 2);
    double f = x - i;
    int r = (int) Math.round(ANCHORS[i][0] + f * (ANCHORS[i + 1][0] - ANCHORS[i][0]));
    int g = (int) Math.round(ANCHORS[i][1] + f * (ANCHORS[i + 1][1] - ANCHORS[i][1]));
    int b = (int) Math.round(ANCHORS[i][2] + f * (ANCHORS[i + 1][2] - ANCHORS[i][2]));
    return (r << 16) | (g << 8) | b;
  }
}
