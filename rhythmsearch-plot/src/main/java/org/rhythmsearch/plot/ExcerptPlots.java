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
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.GrayPaintScale;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.apache.batik.dom.GenericDOMImplementation;
import org.apache.batik.svggen.SVGGraphics2D;
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

  private ExcerptPlots() {}

  /** The four figures of one excerpt: mel spectrogram, self-similarity, beat spectrum, descriptor. */
  public static List<JFreeChart> of(ExcerptFigures f) {
    return List.of(mel(f), similarity(f), beatSpectrum(f), descriptor(f));
  }

  /** The dB mel spectrogram: time (s) × mel band, dB above the floor as grey level. */
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
    return heatMap("Mel spectrogram (dB above the floor), " + label(f), "time (s)", "mel band", xyz,
        step / m.framesPerSecond(), 1, 0, f.config().dbRange());
  }

  /** The frame-to-frame cosine self-similarity matrix: time (s) × time (s). */
  public static JFreeChart similarity(ExcerptFigures f) {
    int n = f.frames();
    int step = Math.max(1, (n + MAX_CELLS - 1) / MAX_CELLS);
    int cells = (n + step - 1) / step;
    double fps = f.melDb().framesPerSecond();
    double[][] xyz = new double[3][cells * cells];
    int k = 0;
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
      }
    }
    return heatMap("Self-similarity (cosine of frames), " + label(f), "time (s)", "time (s)", xyz, step / fps,
        step / fps, 0, 1);
  }

  /** The beat spectrum over lag (s), with the beat period and its multiples marked when the tempo is known. */
  public static JFreeChart beatSpectrum(ExcerptFigures f) {
    XYSeries s = new XYSeries("beat spectrum", false, false);
    for (int lag = 0; lag < f.beatSpectrum().length; lag++) {
      s.add(f.lagSeconds(lag), f.beatSpectrum()[lag]);
    }
    String tempo = f.tempoBpm() > 0 ? String.format(Locale.ROOT, "; tempo %.0f BPM, beat every %.3f s", f.tempoBpm(),
        f.beatPeriodSeconds()) : "; tempo unknown";
    JFreeChart chart = lines("Beat spectrum, " + label(f) + tempo, "lag (s)", "B(lag)", new XYSeriesCollection(s));
    double period = f.beatPeriodSeconds();
    if (period > 0) {
      double maxLag = f.lagSeconds(f.beatSpectrum().length - 1);
      for (int k = 1; k * period <= maxLag; k++) {
        ValueMarker mark = new ValueMarker(k * period, new Color(200, 60, 40), new BasicStroke(1f));
        chart.getXYPlot().addDomainMarker(mark);
      }
    }
    return chart;
  }

  /** The descriptor the index stores for the excerpt, value by position (nothing for a silent excerpt). */
  public static JFreeChart descriptor(ExcerptFigures f) {
    XYSeries s = new XYSeries("descriptor " + f.config().id(), false, false);
    if (f.descriptor() != null) {
      for (int i = 0; i < f.descriptor().length; i++) {
        s.add(i, f.descriptor()[i]);
      }
    }
    return lines("Descriptor " + f.config().id() + (f.descriptor() == null ? " (silent excerpt: none)" : "") + ", "
        + label(f), "position", "value", new XYSeriesCollection(s));
  }

  /**
   * Two excerpts' descriptors overlaid as {@code similarity} scores the pair (A as the query, B as the
   * indexed excerpt), the score in the title as {@code query} reports it (pairScore, 4 decimals): when
   * tempo alignment decided the score, A is drawn rescaled to B's tempo (the pair the ranking used),
   * and the title says so and by which factor; else A as it is, with why it was not aligned.
   *
   * @throws IllegalArgumentException when either excerpt is silent (no descriptor)
   */
  public static JFreeChart compare(ExcerptFigures a, ExcerptFigures b, Similarity similarity) {
    if (a.descriptor() == null || b.descriptor() == null) {
      throw new IllegalArgumentException("a silent excerpt has no descriptor to compare");
    }
    Similarity.PairScore p = similarity.pair(a.descriptor(), a.tempoBpm(), b.descriptor(), b.tempoBpm());
    float[] shown = p.aligned() ? PostProcessing.tempoScaled(a.config(), a.descriptor(), p.factor()) : a.descriptor();
    XYSeriesCollection data = new XYSeriesCollection();
    data.addSeries(series((p.aligned() ? String.format(Locale.ROOT, "A x%.2f: ", p.factor()) : "A: ") + label(a), shown));
    data.addSeries(series("B: " + label(b), b.descriptor()));
    return lines(String.format(Locale.ROOT, "Descriptors %s: score %.4f %s", a.config().id(), p.score(),
        how(p, a.tempoBpm(), b.tempoBpm(), similarity)), "position", "value", data);
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
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
    XYPlot plot = new XYPlot(data, xAxis, yAxis, r);
    plot.setBackgroundPaint(Color.WHITE);
    JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT.deriveFont(12f), plot, data.getSeriesCount() > 1);
    chart.setBackgroundPaint(Color.WHITE);
    return chart;
  }

  /**
   * A heat map: the cells are kept as the plot's dataset (x, y, value) and drawn as one image, so an SVG
   * holds one embedded picture instead of a rectangle per cell.
   */
  private static JFreeChart heatMap(String title, String x, String y, double[][] xyz, double cellWidth,
      double cellHeight, double low, double high) {
    DefaultXYZDataset data = new DefaultXYZDataset();
    data.addSeries("values", xyz);
    GrayPaintScale scale = new GrayPaintScale(low, high);
    double x0 = Double.POSITIVE_INFINITY;
    double y0 = Double.POSITIVE_INFINITY;
    double x1 = Double.NEGATIVE_INFINITY;
    double y1 = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < xyz[0].length; i++) {
      x0 = Math.min(x0, xyz[0][i]);
      y0 = Math.min(y0, xyz[1][i]);
      x1 = Math.max(x1, xyz[0][i]);
      y1 = Math.max(y1, xyz[1][i]);
    }
    int cols = (int) Math.round((x1 - x0) / cellWidth) + 1;
    int rows = (int) Math.round((y1 - y0) / cellHeight) + 1;
    BufferedImage image = new BufferedImage(cols, rows, BufferedImage.TYPE_INT_RGB);
    for (int i = 0; i < xyz[0].length; i++) {
      int c = (int) Math.round((xyz[0][i] - x0) / cellWidth);
      int r = rows - 1 - (int) Math.round((xyz[1][i] - y0) / cellHeight); // image rows run downwards
      image.setRGB(c, r, ((Color) scale.getPaint(xyz[2][i])).getRGB());
    }
    NumberAxis xAxis = new NumberAxis(x);
    xAxis.setAutoRangeIncludesZero(false);
    xAxis.setRange(x0, x1 + cellWidth);
    NumberAxis yAxis = new NumberAxis(y);
    yAxis.setAutoRangeIncludesZero(false);
    yAxis.setRange(y0, y1 + cellHeight);
    XYLineAndShapeRenderer none = new XYLineAndShapeRenderer(false, false); // the image shows the cells
    XYPlot plot = new XYPlot(data, xAxis, yAxis, none);
    plot.addAnnotation(new org.jfree.chart.annotations.XYDataImageAnnotation(image, x0, y0, x1 + cellWidth - x0,
        y1 + cellHeight - y0), false);
    JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT.deriveFont(12f), plot, false);
    chart.setBackgroundPaint(Color.WHITE);
    return chart;
  }
}
