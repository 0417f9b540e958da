package org.rhythmsearch.plot;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYDataImageAnnotation;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.xy.DefaultXYZDataset;

/**
 * Heat maps with a colour bar. The cells are kept as the plot's dataset (x, y, value: what a test reads)
 * and drawn as one image, so an SVG holds one embedded picture instead of a rectangle per cell.
 *
 * <p>Stateless; thread-safe.
 */
final class HeatMaps {

  private HeatMaps() {}

  /**
   * A heat map of cells {@code (x, y, value)} (each cell's lower-left corner, on a regular grid of
   * {@code cellWidth × cellHeight}), coloured by {@code colours}, with a colour bar labelled
   * {@code scaleLabel} at the right. Grid places no cell names, and NaN values, are drawn in
   * {@link ColourMap#NONE}.
   */
  static JFreeChart chart(String title, ValueAxis xAxis, ValueAxis yAxis, double[][] xyz, double cellWidth,
      double cellHeight, ColourMap colours, String scaleLabel) {
    double x0 = Arrays.stream(xyz[0]).min().orElse(0);
    double y0 = Arrays.stream(xyz[1]).min().orElse(0);
    double x1 = Arrays.stream(xyz[0]).max().orElse(0);
    double y1 = Arrays.stream(xyz[1]).max().orElse(0);
    int cols = (int) Math.round((x1 - x0) / cellWidth) + 1;
    int rows = (int) Math.round((y1 - y0) / cellHeight) + 1;
    BufferedImage image = new BufferedImage(cols, rows, BufferedImage.TYPE_INT_RGB);
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        image.setRGB(c, r, ColourMap.NONE.getRGB());
      }
    }
    for (int i = 0; i < xyz[0].length; i++) {
      int c = (int) Math.round((xyz[0][i] - x0) / cellWidth);
      int r = rows - 1 - (int) Math.round((xyz[1][i] - y0) / cellHeight); // image rows run downwards
      image.setRGB(c, r, colours.colour(xyz[2][i]).getRGB());
    }
    DefaultXYZDataset data = new DefaultXYZDataset();
    data.addSeries("values", xyz);
    xAxis.setRange(x0, x1 + cellWidth);
    yAxis.setRange(y0, y1 + cellHeight);
    XYLineAndShapeRenderer none = new XYLineAndShapeRenderer(false, false); // the image shows the cells
    XYPlot plot = new XYPlot(data, xAxis, yAxis, none);
    plot.setBackgroundPaint(ColourMap.NONE);
    plot.setDomainGridlinesVisible(false);
    plot.setRangeGridlinesVisible(false);
    plot.addAnnotation(new XYDataImageAnnotation(image, x0, y0, x1 + cellWidth - x0, y1 + cellHeight - y0), false);
    JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT.deriveFont(12f), plot, false);
    chart.setBackgroundPaint(Color.WHITE);
    chart.addSubtitle(colourBar(colours, scaleLabel));
    return chart;
  }

  /** A vertical colour bar for {@code colours}, its axis labelled {@code label}. */
  static PaintScaleLegend colourBar(ColourMap colours, String label) {
    NumberAxis axis = new NumberAxis(label);
    axis.setRange(colours.getLowerBound(), colours.getUpperBound());
    axis.setLabelFont(axis.getLabelFont().deriveFont(11f));
    PaintScaleLegend bar = new PaintScaleLegend(colours, axis);
    bar.setPosition(RectangleEdge.RIGHT);
    bar.setAxisLocation(AxisLocation.BOTTOM_OR_RIGHT);
    bar.setStripWidth(12);
    bar.setSubdivisionCount(128);
    bar.setMargin(new RectangleInsets(8, 4, 28, 4));
    bar.setBackgroundPaint(Color.WHITE);
    return bar;
  }

  /**
   * The {@code p}-th quantile (0 … 1) of {@code values}, nearest rank; NaN for none.
   */
  static double quantile(double[] values, double p) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[(int) Math.min(sorted.length - 1, Math.max(0, Math.round(p * (sorted.length - 1))))];
  }
}
