package dev.earshot.plot;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Line charts as PNG (training curves, metrics against time), written atomically. */
public final class LineChart {
  private LineChart() {}

  /** One named series of (x, y) points. */
  public record Series(String name, List<Double> x, List<Double> y) {}

  public static void write(Path file, String title, String xLabel, String yLabel, List<Series> series, boolean logY)
      throws IOException {
    XYChart chart = new XYChartBuilder().width(900).height(500).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel)
        .build();
    chart.getStyler().setLegendVisible(series.size() > 1);
    chart.getStyler().setYAxisLogarithmic(logY);
    chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
    for (Series s : series) {
      if (s.x().isEmpty()) {
        continue;
      }
      XYSeries xy = chart.addSeries(s.name(), s.x(), s.y());
      xy.setMarker(s.x().size() > 40 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
    }
    ChartFile.save(chart, file);
  }

  /** One chart per metric key of a run's log lines (x = step). */
  public static void curves(Path file, String title, List<Map<String, Double>> rows, List<String> keys)
      throws IOException {
    List<Series> series = new java.util.ArrayList<>();
    for (String k : keys) {
      List<Double> x = new java.util.ArrayList<>();
      List<Double> y = new java.util.ArrayList<>();
      for (Map<String, Double> r : rows) {
        Double v = r.get(k);
        if (v != null && Double.isFinite(v)) {
          x.add(r.get("step"));
          y.add(v);
        }
      }
      series.add(new Series(k, x, y));
    }
    write(file, title, "step", String.join(", ", keys), series, false);
  }
}
