package dev.earshot.plot;

import dev.earshot.io.AtomicFile;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Renders a (frames, bins) feature matrix as a PNG: time to the right, frequency upwards, values mapped
 * linearly from the 1st to the 99th percentile onto a perceptually ordered colour ramp.
 */
public final class SpectrogramImage {
  private SpectrogramImage() {}

  /**
   * Writes {@code features} as a PNG, each cell {@code cellWidth x cellHeight} pixels. Atomic (temp + rename).
   */
  public static void write(Path file, float[][] features, int cellWidth, int cellHeight) throws IOException {
    int frames = features.length;
    int bins = frames == 0 ? 0 : features[0].length;
    if (frames == 0 || bins == 0) {
      throw new IllegalArgumentException("nothing to draw: " + frames + " x " + bins);
    }
    float[] sorted = new float[frames * bins];
    for (int t = 0; t < frames; t++) {
      System.arraycopy(features[t], 0, sorted, t * bins, bins);
    }
    java.util.Arrays.sort(sorted);
    float lo = sorted[(int) (0.01 * (sorted.length - 1))];
    float hi = sorted[(int) (0.99 * (sorted.length - 1))];
    float range = hi > lo ? hi - lo : 1;
    BufferedImage image = new BufferedImage(frames * cellWidth, bins * cellHeight, BufferedImage.TYPE_INT_RGB);
    for (int t = 0; t < frames; t++) {
      for (int b = 0; b < bins; b++) {
        double v = Math.max(0, Math.min(1, (features[t][b] - lo) / range));
        int rgb = ColorRamp.rgb(v);
        int y0 = (bins - 1 - b) * cellHeight;
        for (int dx = 0; dx < cellWidth; dx++) {
          for (int dy = 0; dy < cellHeight; dy++) {
            image.setRGB(t * cellWidth + dx, y0 + dy, rgb);
          }
        }
      }
    }
    AtomicFile.write(file, out -> {
      if (!ImageIO.write(image, "png", out)) {
        throw new IOException("no PNG writer available");
      }
    });
  }
}
