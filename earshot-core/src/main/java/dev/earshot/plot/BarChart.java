package dev.earshot.plot;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;

/** Grouped bars: one group per category (task), one bar per series (method). Written atomically as PNG. */
public final class BarChart {
  private BarChart() {}

  /** @param values series name -> category -> value */
  public static void write(Path file, String title, String yLabel, Map<String, Map<String, Double>> values)
      throws IOException {
    CategoryChart chart = new CategoryChartBuilder().width(900).height(500).title(title).yAxisTitle(yLabel).build();
    chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
    for (Map.Entry<String, Map<String, Double>> s : values.entrySet()) {
      List<String> categories = new ArrayList<>(s.getValue().keySet());
      List<Double> v = new ArrayList<>(s.getValue().values());
      if (!categories.isEmpty()) {
        chart.addSeries(s.getKey(), categories, v);
      }
    }
    ChartFile.save(chart, file);
  }
}
