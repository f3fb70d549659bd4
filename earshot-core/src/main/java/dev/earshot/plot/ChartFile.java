package dev.earshot.plot;

import dev.earshot.io.AtomicFile;
import java.io.IOException;
import java.nio.file.Path;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

/** Saves an XChart chart as a PNG atomically ({@link AtomicFile}). */
final class ChartFile {
  private ChartFile() {}

  static void save(Chart<?, ?> chart, Path file) throws IOException {
    AtomicFile.write(file, out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
  }
}
