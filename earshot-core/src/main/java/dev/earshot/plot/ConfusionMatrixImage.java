package dev.earshot.plot;

import dev.earshot.io.AtomicFile;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/** A confusion matrix as a PNG: rows = true class, columns = predicted class, cells shaded by row share. */
public final class ConfusionMatrixImage {
  private ConfusionMatrixImage() {}

  public static void write(Path file, int[][] counts, List<String> labels, String title) throws IOException {
    int n = counts.length;
    int cell = Math.max(18, Math.min(48, 720 / Math.max(1, n)));
    int margin = 160;
    int top = 30 + margin;
    BufferedImage img = new BufferedImage(margin + n * cell + 20, top + n * cell + 20, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, img.getWidth(), img.getHeight());
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
    g.drawString(title + "  (rows: true, columns: predicted)", 10, 20);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, Math.max(9, cell / 3)));
    for (int i = 0; i < n; i++) {
      int rowTotal = 0;
      for (int c : counts[i]) {
        rowTotal += c;
      }
      g.setColor(Color.BLACK);
      g.drawString(shorten(labels, i), 5, top + i * cell + cell * 2 / 3);
      for (int j = 0; j < n; j++) {
        double share = rowTotal == 0 ? 0 : (double) counts[i][j] / rowTotal;
        g.setColor(new Color(ColorRamp.rgb(share)));
        g.fillRect(margin + j * cell, top + i * cell, cell - 1, cell - 1);
        if (counts[i][j] > 0) {
          g.setColor(share > 0.6 ? Color.BLACK : Color.WHITE);
          g.drawString(Integer.toString(counts[i][j]), margin + j * cell + 3, top + i * cell + cell * 2 / 3);
        }
      }
    }
    AffineTransform original = g.getTransform();
    g.setColor(Color.BLACK);
    for (int j = 0; j < n; j++) {
      g.setTransform(original);
      double x = margin + j * cell + cell * 2 / 3.0;
      g.rotate(-Math.PI / 2, x, top - 5);
      g.drawString(shorten(labels, j), (float) x, top - 5);
    }
    g.setTransform(original);
    g.dispose();
    AtomicFile.write(file, out -> {
      if (!ImageIO.write(img, "png", out)) {
        throw new IOException("no PNG writer available");
      }
    });
  }

  private static String shorten(List<String> labels, int i) {
    String label = i < labels.size() ? labels.get(i) : "class " + i;
    return label.length() > 22 ? label.substring(0, 22) : label;
  }
}
