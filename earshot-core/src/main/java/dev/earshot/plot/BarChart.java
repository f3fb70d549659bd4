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

  /**
   * @param values series name -> category -> value
   * @param errors series name -> category -> half-length of its error bar, or null for none
   */
  public static void write(Path file, String title, String yLabel, Map<String, Map<String, Double>> values,
      Map<String, Map<String, Double>> errors) throws IOException {
    CategoryChart chart = new CategoryChartBuilder().width(900).height(500).title(title).yAxisTitle(yLabel).build();
    chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
    chart.getStyler().setYAxisMin(0.0);
    chart.getStyler().setYAxisDecimalPattern("0.#");
    chart.getStyler().setErrorBarsColorSeriesColor(false);
    chart.getStyler().setErrorBarsColor(java.awt.Color.BLACK);
    for (Map.Entry<String, Map<String, Double>> s : values.entrySet()) {
      List<String> categories = new ArrayList<>(s.getValue().keySet());
      List<Double> v = new ArrayList<>(s.getValue().values());
      if (categories.isEmpty()) {
        continue;
      }
      if (errors == null) {
        chart.addSeries(s.getKey(), categories, v);
      } else {
        List<Double> e = categories.stream().map(c -> errors.getOrDefault(s.getKey(), Map.of()).getOrDefault(c, 0.0))
            .toList();
        chart.addSeries(s.getKey(), categories, v, e);
      }
    }
    ChartFile.save(chart, file);
  }
}
