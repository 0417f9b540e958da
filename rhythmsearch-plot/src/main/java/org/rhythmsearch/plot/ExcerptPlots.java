package org.rhythmsearch.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.apache.batik.dom.GenericDOMImplementation;
import org.apache.batik.svggen.SVGGraphics2D;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.annotations.XYTitleAnnotation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.rhythmsearch.features.ExcerptFigures;
import org.rhythmsearch.features.MelSpectrogram;
import org.rhythmsearch.features.PostProcessing;
import org.rhythmsearch.search.Similarity;

/**
 * The study's figures for one excerpt as JFreeChart charts: the dB mel spectrogram, the self-similarity
 * matrix, the beat spectrum with the beat period and its multiples marked, and the stored descriptor;
 * and two excerpts' descriptors overlaid with the score the ranking gives them ({@link Similarity}). {@link #write} lays charts out in a grid
 * and writes PNG or SVG (by the file's extension).
 *
 * <p>Stateless; thread-safe (each call makes its own charts).
 */
public final class ExcerptPlots {

  /** Heat maps show at most this many cells per axis (frames are averaged in groups beyond it). */
  static final int MAX_CELLS = 256;

  /** The colours of the first and second line of a chart. */
  private static final Color[] SERIES = {new Color(31, 90, 160), new Color(230, 120, 20)};

  static {
    // rotated labels (value axes, colour bars) as text, as the others: JFreeChart's default draws them as
    // outlines, which an SVG reader can neither search nor read aloud
    org.jfree.chart.text.TextUtils.setUseDrawRotatedStringWorkaround(false);
  }

  private ExcerptPlots() {}

  /** The four figures of one excerpt: mel spectrogram, self-similarity, beat spectrum, descriptor. */
  public static List<JFreeChart> of(ExcerptFigures f) {
    return List.of(mel(f), similarity(f), beatSpectrum(f), descriptor(f));
  }

  /** The dB mel spectrogram: time (s) × mel band, dB above the floor as colour, with a colour bar. */
  public static JFreeChart mel(ExcerptFigures f) {
    MelSpectrogram m = f.melDb();
    int step = Math.max(1, (m.frames() + MAX_CELLS - 1) / MAX_CELLS);
    int cols = (m.frames() + step - 1) / step;
    double[][] xyz = new double[3][cols * m.mels()];
    int k = 0;
    for (int c = 0; c < cols; c++) {
      for (int band = 0; band < m.mels(); band++, k++) {
        double sum = 0;
        int n = 0;
        for (int t = c * step; t < Math.min(m.frames(), (c + 1) * step); t++, n++) {
          sum += m.get(t, band);
        }
        xyz[0][k] = c * step / m.framesPerSecond();
        xyz[1][k] = band;
        xyz[2][k] = sum / n;
      }
    }
    return HeatMaps.chart("Mel spectrogram, " + label(f), new NumberAxis("time (s)"),
        new NumberAxis("mel band (low to high)"), xyz, step / m.framesPerSecond(), 1,
        ColourMap.sequential(0, f.config().dbRange()), "dB above the floor");
  }

  /**
   * The frame-to-frame cosine self-similarity matrix: time (s) × time (s). The cosines of dB frames lie
   * close to 1, so the colours are stretched over the off-diagonal cells' 2nd to 98th percentile (the
   * title and the colour bar give that range).
   */
  public static JFreeChart similarity(ExcerptFigures f) {
    int n = f.frames();
    int step = Math.max(1, (n + MAX_CELLS - 1) / MAX_CELLS);
    int cells = (n + step - 1) / step;
    double fps = f.melDb().framesPerSecond();
    double[][] xyz = new double[3][cells * cells];
    double[] offDiagonal = new double[cells * cells - cells];
    int k = 0;
    int o = 0;
    for (int a = 0; a < cells; a++) {
      for (int b = 0; b < cells; b++, k++) {
        double sum = 0;
        int count = 0;
        for (int i = a * step; i < Math.min(n, (a + 1) * step); i++) {
          for (int j = b * step; j < Math.min(n, (b + 1) * step); j++, count++) {
            sum += f.similarity()[i * n + j];
          }
        }
        xyz[0][k] = a * step / fps;
        xyz[1][k] = b * step / fps;
        xyz[2][k] = sum / count;
        if (a != b) {
          offDiagonal[o++] = sum / count;
        }
      }
    }
    double low = HeatMaps.quantile(offDiagonal, 0.02);
    double high = HeatMaps.quantile(offDiagonal, 0.98);
    if (!(high > low)) { // a constant matrix (silence, a pure tone): any range shows it
      low = Double.isNaN(low) ? 0 : low - 1e-3;
      high = low + 2e-3;
    }
    return HeatMaps.chart(String.format(Locale.ROOT, "Self-similarity (cosine of frames; colours %.3f to %.3f), %s",
        low, high, label(f)), new NumberAxis("time (s)"), new NumberAxis("time (s)"), xyz, step / fps, step / fps,
        ColourMap.sequential(low, high), "cosine (2nd to 98th percentile)");
  }

  /**
   * The beat spectrum over lag (s), twice on one lag axis from 0: on its whole scale from 0 (above), and
   * stretched to its own range (below: the cosines of dB frames lie close to 1, so the peaks are small);
   * the beat period and its multiples marked on both when the tempo is known.
   */
  public static JFreeChart beatSpectrum(ExcerptFigures f) {
    XYSeries s = new XYSeries("beat spectrum", false, false);
    for (int lag = 0; lag < f.beatSpectrum().length; lag++) {
      s.add(f.lagSeconds(lag), f.beatSpectrum()[lag]);
    }
    NumberAxis lag = new NumberAxis("lag (s)");
    lag.setRange(0, f.lagSeconds(f.beatSpectrum().length - 1));
    CombinedDomainXYPlot plot = new CombinedDomainXYPlot(lag);
    NumberAxis whole = new NumberAxis("B(lag) from 0");
    whole.setAutoRangeIncludesZero(true);
    NumberAxis detail = new NumberAxis("B(lag), detail");
    detail.setAutoRangeIncludesZero(false);
    plot.add(linePlot(new XYSeriesCollection(s), whole), 1);
    plot.add(linePlot(new XYSeriesCollection(s), detail), 2);
    String tempo = f.tempoBpm() > 0 ? String.format(Locale.ROOT, "; tempo %.0f BPM, beat every %.3f s", f.tempoBpm(),
        f.beatPeriodSeconds()) : "; tempo unknown";
    JFreeChart chart = chart("Beat spectrum, " + label(f) + tempo, plot, false);
    double period = f.beatPeriodSeconds();
    if (period > 0) {
      double maxLag = f.lagSeconds(f.beatSpectrum().length - 1);
      for (XYPlot sub : plot.getSubplots()) {
        for (int k = 1; k * period <= maxLag; k++) {
          sub.addDomainMarker(new ValueMarker(k * period, new Color(200, 60, 40), new BasicStroke(1f)));
        }
      }
    }
    return chart;
  }

  /**
   * The descriptor the index stores for the excerpt. A descriptor of several lag-indexed blocks
   * (onset patterns per mel sub-band, the beat spectrum) is drawn as a heat map, one row per block, lag
   * (s) across, the values on a diverging colour bar; one block as a line over lag (s); any other
   * (coefficients, projected axes) as a line over its components. Empty for a silent excerpt.
   */
  public static JFreeChart descriptor(ExcerptFigures f) {
    String title = "Descriptor " + f.config().id() + (f.descriptor() == null ? " (silent excerpt: none)" : "") + ", "
        + label(f);
    float[] v = f.descriptor() == null ? new float[0] : f.descriptor();
    List<DescriptorBlock> blocks = DescriptorBlock.of(f.config());
    if (blocks.size() < 2 || v.length == 0) {
      XYSeries s = blocks.size() == 1 ? blocks.get(0).series(f.config().id(), v) : series(f.config().id(), v);
      return lines(title, blocks.size() == 1 ? "lag (s)" : "component", "value", new XYSeriesCollection(s));
    }
    double dx = f.config().secondsPerLag();
    int cells = 0;
    double[] magnitudes = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      magnitudes[i] = Math.abs(v[i]);
    }
    // the colours span the 98th percentile of |value| (a few lags near 0 would otherwise pale the rest)
    double limit = Math.max(1e-9, HeatMaps.quantile(magnitudes, 0.98));
    for (DescriptorBlock b : blocks) {
      cells += b.length();
    }
    double[][] xyz = new double[3][cells];
    int k = 0;
    for (int row = 0; row < blocks.size(); row++) {
      DescriptorBlock b = blocks.get(row);
      for (int j = 0; j < b.length(); j++, k++) {
        xyz[0][k] = (b.firstLag() + j) * dx;
        xyz[1][k] = row - 0.5; // rows centred on the block's label
        xyz[2][k] = v[b.offset() + j];
      }
    }
    SymbolAxis rows = new SymbolAxis(null, blocks.stream().map(DescriptorBlock::name).toArray(String[]::new));
    rows.setGridBandsVisible(false);
    NumberAxis lag = new NumberAxis("lag (s)");
    JFreeChart chart = HeatMaps.chart(title, lag, rows, xyz, dx, 1, ColourMap.diverging(limit),
        String.format(Locale.ROOT, "value (beyond %.3f: end colours)", limit));
    chart.getXYPlot().getDomainAxis().setLowerBound(0);
    return chart;
  }

  /**
   * Two excerpts' descriptors overlaid as {@code similarity} scores the pair (A as the query, B as the
   * indexed excerpt), the score in the title as {@code query} reports it (pairScore, 4 decimals): when
   * tempo alignment decided the score, A is drawn rescaled to B's tempo (the pair the ranking used),
   * and the title says so and by which factor; else A as it is, with why it was not aligned. A
   * descriptor of lag-indexed blocks is drawn as small multiples, one per block on a shared lag axis.
   *
   * @throws IllegalArgumentException when either excerpt is silent (no descriptor)
   */
  public static JFreeChart compare(ExcerptFigures a, ExcerptFigures b, Similarity similarity) {
    if (a.descriptor() == null || b.descriptor() == null) {
      throw new IllegalArgumentException("a silent excerpt has no descriptor to compare");
    }
    Similarity.PairScore p = similarity.pair(a.descriptor(), a.tempoBpm(), b.descriptor(), b.tempoBpm());
    float[] shown = p.aligned() ? PostProcessing.tempoScaled(a.config(), a.descriptor(), p.factor()) : a.descriptor();
    String keyA = (p.aligned() ? String.format(Locale.ROOT, "A x%.2f: ", p.factor()) : "A: ") + label(a);
    String keyB = "B: " + label(b);
    String title = String.format(Locale.ROOT, "Descriptors %s: score %.4f %s", a.config().id(), p.score(),
        how(p, a.tempoBpm(), b.tempoBpm(), similarity));
    List<DescriptorBlock> blocks = DescriptorBlock.of(a.config());
    if (blocks.isEmpty()) {
      XYSeriesCollection data = new XYSeriesCollection();
      data.addSeries(series(keyA, shown));
      data.addSeries(series(keyB, b.descriptor()));
      return lines(title, "component", "value", data);
    }
    NumberAxis lag = new NumberAxis("lag (s)");
    lag.setAutoRangeIncludesZero(true);
    CombinedDomainXYPlot plot = new CombinedDomainXYPlot(lag);
    plot.setGap(3);
    for (DescriptorBlock block : blocks) {
      XYSeriesCollection data = new XYSeriesCollection();
      data.addSeries(block.series(keyA, shown));
      data.addSeries(block.series(keyB, b.descriptor()));
      NumberAxis values = new NumberAxis(null);
      values.setAutoRangeIncludesZero(false);
      values.setTickLabelsVisible(false);
      values.setTickMarksVisible(false);
      XYPlot sub = linePlot(data, values);
      TextTitle name = new TextTitle(block.name(), JFreeChart.DEFAULT_TITLE_FONT.deriveFont(java.awt.Font.PLAIN, 9f));
      name.setBackgroundPaint(new Color(255, 255, 255, 200));
      sub.addAnnotation(new XYTitleAnnotation(0.005, 0.98, name, RectangleAnchor.TOP_LEFT));
      plot.add(sub, block.name().startsWith("beat") ? 2 : 1);
    }
    LegendItemCollection legend = new LegendItemCollection();
    legend.add(new LegendItem(keyA, SERIES[0]));
    legend.add(new LegendItem(keyB, SERIES[1]));
    plot.setFixedLegendItems(legend);
    return chart(title, plot, true);
  }

  /** How a pair's score was reached, in words, e.g. "(tempo-aligned: A rescaled x1.05, 102 → 97 BPM; plain cosine 0.6203)". */
  public static String how(Similarity.PairScore p, double tempoA, double tempoB, Similarity similarity) {
    if (p.aligned()) {
      return String.format(Locale.ROOT, "(tempo-aligned: A rescaled x%.2f to B's tempo, %.0f -> %.0f BPM, less the "
          + "margin %.2f; plain cosine %.4f)", p.factor(), tempoA, tempoB, similarity.alignment().margin(), p.plain());
    }
    String why;
    if (!similarity.aligns()) {
      why = "tempo alignment off";
    } else if (!(tempoA > 0) || !(tempoB > 0)) {
      why = "a tempo unknown";
    } else if (p.factor() == 1) {
      why = String.format(Locale.ROOT, "tempi %.0f and %.0f BPM: equal, or further apart than %.0f %%", tempoA, tempoB,
          100 * similarity.alignment().tolerance());
    } else {
      why = String.format(Locale.ROOT, "beats A rescaled x%.2f less the margin", p.factor());
    }
    return "(plain cosine; " + why + ")";
  }
  /** An image format the charts are written in. */
  public enum Format {
    PNG, SVG;

    /** The format a file name's extension asks for ({@code .png} or {@code .svg}, any case), if either. */
    public static java.util.Optional<Format> of(Path file) {
      String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
      return name.endsWith(".png") ? java.util.Optional.of(PNG)
          : name.endsWith(".svg") ? java.util.Optional.of(SVG) : java.util.Optional.empty();
    }

    /** The media type of the format. */
    public String mediaType() {
      return this == PNG ? "image/png" : "image/svg+xml";
    }
  }

  /**
   * The figures of {@code a}'s excerpt ({@link #of}) and, when {@code b} is not null, also {@code b}'s
   * beat spectrum and the two descriptors overlaid as {@code similarity} scores them ({@link #compare}).
   *
   * @throws IllegalArgumentException when {@code b} is given and either excerpt is silent (no descriptor)
   */
  public static List<JFreeChart> figures(ExcerptFigures a, ExcerptFigures b, Similarity similarity) {
    List<JFreeChart> charts = new ArrayList<>(of(a));
    if (b != null) {
      charts.add(beatSpectrum(b));
      charts.add(compare(a, b, similarity));
    }
    return charts;
  }

  /**
   * Draws {@code charts} in a grid of {@code columns} columns, each chart {@code cellWidth} ×
   * {@code cellHeight} pixels, into {@code out}: PNG when its name ends in {@code .png}, SVG when in
   * {@code .svg}.
   *
   * @throws IllegalArgumentException for another extension
   */
  public static void write(List<JFreeChart> charts, int columns, int cellWidth, int cellHeight, Path out)
      throws IOException {
    Format format = Format.of(out).orElseThrow(
        () -> new IllegalArgumentException(out + ": the file name must end in .png or .svg"));
    try (java.io.OutputStream o = new java.io.BufferedOutputStream(java.nio.file.Files.newOutputStream(out))) {
      write(charts, columns, cellWidth, cellHeight, format, o);
    }
  }

  /** Draws {@code charts} in a grid as {@link #write(List, int, int, int, Path)} does, into a stream. */
  public static void write(List<JFreeChart> charts, int columns, int cellWidth, int cellHeight, Format format,
      java.io.OutputStream out) throws IOException {
    int rows = (charts.size() + columns - 1) / columns;
    int width = Math.min(columns, charts.size()) * cellWidth;
    int height = rows * cellHeight;
    if (format == Format.PNG) {
      BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
      Graphics2D g = image.createGraphics();
      draw(g, charts, columns, cellWidth, cellHeight, width, height);
      g.dispose();
      if (!ImageIO.write(image, "png", out)) {
        throw new IOException("no PNG writer");
      }
    } else {
      org.w3c.dom.Document doc = GenericDOMImplementation.getDOMImplementation()
          .createDocument("http://www.w3.org/2000/svg", "svg", null);
      org.apache.batik.svggen.SVGGeneratorContext context = org.apache.batik.svggen.SVGGeneratorContext.createDefault(doc);
      context.setImageHandler(new EmbeddedPng());
      SVGGraphics2D g = new SVGGraphics2D(context, false);
      g.setSVGCanvasSize(new java.awt.Dimension(width, height));
      draw(g, charts, columns, cellWidth, cellHeight, width, height);
      java.io.StringWriter svg = new java.io.StringWriter();
      g.stream(svg, true);
      // without Batik's DOCTYPE (SVG 1.0's DTD on the web): a reader need not fetch anything to parse it
      out.write(svg.toString().replaceFirst("<!DOCTYPE[^>]*>\\s*", "").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  /** Heat maps go into the SVG as embedded PNG images, encoded by the JDK's ImageIO. */
  private static final class EmbeddedPng extends org.apache.batik.svggen.ImageHandlerBase64Encoder {
    @Override
    public void encodeImage(java.awt.image.RenderedImage image, java.io.OutputStream out)
        throws org.apache.batik.svggen.SVGGraphics2DIOException {
      try {
        if (!ImageIO.write(image, "png", out)) {
          throw new org.apache.batik.svggen.SVGGraphics2DIOException("no PNG writer");
        }
      } catch (IOException e) {
        throw new org.apache.batik.svggen.SVGGraphics2DIOException(e);
      }
    }
  }

  private static void draw(Graphics2D g, List<JFreeChart> charts, int columns, int cellWidth, int cellHeight, int width,
      int height) {
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, width, height);
    for (int i = 0; i < charts.size(); i++) {
      charts.get(i).draw(g, new Rectangle2D.Double((i % columns) * cellWidth, (i / columns) * cellHeight, cellWidth,
          cellHeight));
    }
  }

  private static String label(ExcerptFigures f) {
    return String.format(Locale.ROOT, "%s at %.1f s", Path.of(f.source()).getFileName(), f.startSeconds());
  }

  private static XYSeries series(String key, float[] v) {
    XYSeries s = new XYSeries(key, false, false);
    for (int i = 0; i < v.length; i++) {
      s.add(i, v[i]);
    }
    return s;
  }

  private static JFreeChart lines(String title, String x, String y, XYSeriesCollection data) {
    NumberAxis xAxis = new NumberAxis(x);
    xAxis.setAutoRangeIncludesZero(false);
    NumberAxis yAxis = new NumberAxis(y);
    yAxis.setAutoRangeIncludesZero(false);
    XYPlot plot = new XYPlot(data, xAxis, yAxis, renderer());
    plot.setBackgroundPaint(Color.WHITE);
    return chart(title, plot, data.getSeriesCount() > 1);
  }

  /** A plot of lines on its own value axis, for a combined plot to give its shared domain axis. */
  private static XYPlot linePlot(XYSeriesCollection data, NumberAxis values) {
    XYPlot plot = new XYPlot(data, null, values, renderer());
    plot.setBackgroundPaint(Color.WHITE);
    return plot;
  }

  /** Lines without shapes, the first series dark blue, the second orange (the same in every chart). */
  private static XYLineAndShapeRenderer renderer() {
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
    for (int i = 0; i < SERIES.length; i++) {
      r.setSeriesPaint(i, SERIES[i]);
    }
    return r;
  }

  private static JFreeChart chart(String title, XYPlot plot, boolean legend) {
    JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT.deriveFont(12f), plot, legend);
    chart.setBackgroundPaint(Color.WHITE);
    return chart;
  }
}
