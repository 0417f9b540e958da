package org.rhythmsearch.plot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.rhythmsearch.features.PostProcessing;
import org.rhythmsearch.index.Metric;
import org.rhythmsearch.search.Similarity;
import org.rhythmsearch.search.TempoAlignment;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import java.awt.geom.Rectangle2D;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.PlotRenderingInfo;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.data.xy.XYZDataset;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.ui.Layer;
import org.jfree.data.xy.XYDataset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rhythmsearch.features.ExcerptFigures;
import org.rhythmsearch.features.FeatureConfigs;
import org.w3c.dom.Document;

/** Issue 13, point 1: the charts plot exactly the computed values, and PNG and SVG files come out right. */
class ExcerptPlotsTest {

  @TempDir static Path tmp;
  static ExcerptFigures clicks;
  static ExcerptFigures start;

  /** A 120-BPM click track (a click every 0.5 s), 22 s at 22050 Hz, 16-bit mono. */
  static Path clickTrack(Path file) throws Exception {
    return clickTrack(file, 120);
  }

  /** A click track at {@code bpm}, 22 s at 22050 Hz, 16-bit mono. */
  static Path clickTrack(Path file, double bpm) throws Exception {
    int rate = 22050;
    float[] y = new float[22 * rate];
    int period = (int) Math.round(rate * 60 / bpm);
    for (int i = 0; i < y.length; i++) {
      int m = i % period;
      y[i] = (float) (m < 400 ? 0.8 * Math.exp(-m / 80.0) * Math.sin(2 * Math.PI * 1500 * m / rate)
          : 0.001 * Math.sin(i * 0.37));
    }
    org.rhythmsearch.testing.Signals.writeWav16(file, rate, y);
    return file;
  }

  @BeforeAll
  static void figures() throws Exception {
    Path wav = clickTrack(tmp.resolve("clicks.wav"));
    clicks = ExcerptFigures.of(FeatureConfigs.DEFAULT, wav, 10);
    start = ExcerptFigures.of(FeatureConfigs.DEFAULT, wav, 0);
  }

  /** The plots stacked in a chart: the chart's own plot, or a combined plot's subplots. */
  static List<XYPlot> plots(JFreeChart chart) {
    return chart.getXYPlot() instanceof CombinedDomainXYPlot c ? c.getSubplots() : List.of(chart.getXYPlot());
  }

  @Test
  void theChartsPlotExactlyTheComputedValues() {
    List<XYPlot> beat = plots(ExcerptPlots.beatSpectrum(clicks));
    assertThat(beat).as("on its whole scale from 0, and in detail").hasSize(2);
    assertThat(beat.get(0).getRangeAxis().getLowerBound()).isEqualTo(0.0);
    assertThat(beat.get(1).getRangeAxis().getLowerBound()).isGreaterThan(0.5);
    for (XYPlot p : beat) {
      XYDataset d = p.getDataset();
      assertThat(d.getItemCount(0)).isEqualTo(clicks.beatSpectrum().length);
      for (int i = 0; i < clicks.beatSpectrum().length; i++) {
        assertThat(d.getXValue(0, i)).isEqualTo(clicks.lagSeconds(i));
        assertThat(d.getYValue(0, i)).isEqualTo(clicks.beatSpectrum()[i]);
      }
    }
    // onset-beat-8: 8 bands of onset lags 1 ... 108, then the beat spectrum's lags 0 ... 215, one row each
    var d = (XYZDataset) ExcerptPlots.descriptor(clicks).getXYPlot().getDataset();
    float[] v = clicks.descriptor();
    assertThat(d.getItemCount(0)).isEqualTo(v.length);
    int onsetLags = (v.length - clicks.beatSpectrum().length) / 8;
    double perLag = FeatureConfigs.DEFAULT.secondsPerLag();
    for (int i = 0; i < v.length; i++) {
      int row = Math.min(8, i / onsetLags);
      int lag = row < 8 ? 1 + i % onsetLags : i - 8 * onsetLags;
      assertThat(d.getZValue(0, i)).isEqualTo(v[i]);
      assertThat(d.getXValue(0, i)).isCloseTo(lag * perLag, within(1e-12));
      assertThat(d.getYValue(0, i)).isEqualTo(row - 0.5);
    }
    assertThat(((SymbolAxis) ExcerptPlots.descriptor(clicks).getXYPlot().getRangeAxis()).getSymbols())
        .containsExactly("band 1 (low)", "band 2", "band 3", "band 4", "band 5", "band 6", "band 7", "band 8 (high)",
            "beat spectrum");
  }

  @Test
  void aDescriptorThatIsNotLagIndexedIsDrawnByComponent() throws Exception {
    ExcerptFigures fbsc = ExcerptFigures.of(FeatureConfigs.byName("fbsc"), tmp.resolve("clicks.wav"), 10);
    JFreeChart chart = ExcerptPlots.descriptor(fbsc);
    assertThat(chart.getXYPlot().getDomainAxis().getLabel()).isEqualTo("component");
    XYDataset d = chart.getXYPlot().getDataset();
    for (int i = 0; i < fbsc.descriptor().length; i++) {
      assertThat(d.getYValue(0, i)).isEqualTo(fbsc.descriptor()[i]);
    }
  }

  @Test
  void theHeatMapsShowTheSpectrogramAndTheMatrixAveragedInto256Cells() {
    var mel = (XYZDataset) ExcerptPlots.mel(clicks).getXYPlot().getDataset();
    int frames = clicks.frames(); // 431: two frames a cell
    int mels = clicks.melDb().mels();
    assertThat(mel.getItemCount(0)).isEqualTo((frames + 1) / 2 * mels);
    for (int band = 0; band < mels; band += 9) {
      double expected = (clicks.melDb().get(2, band) + clicks.melDb().get(3, band)) / 2.0; // the second cell
      assertThat(mel.getZValue(0, mels + band)).isCloseTo(expected, within(1e-6));
    }
    var sim = (XYZDataset) ExcerptPlots.similarity(clicks).getXYPlot().getDataset();
    int cells = (frames + 1) / 2;
    assertThat(sim.getItemCount(0)).isEqualTo(cells * cells);
    float[] s = clicks.similarity();
    double expected = (s[0] + s[1] + s[frames] + s[frames + 1]) / 4.0;
    assertThat(sim.getZValue(0, 0)).isCloseTo(expected, within(1e-6));
  }

  @Test
  void theBeatSpectrumMarksTheClickPeriodAndItsMultiples() {
    JFreeChart chart = ExcerptPlots.beatSpectrum(clicks);
    List<Double> marks = new ArrayList<>();
    for (Object m : plots(chart).get(1).getDomainMarkers(Layer.FOREGROUND)) {
      marks.add(((ValueMarker) m).getValue());
    }
    assertThat(plots(chart).get(0).getDomainMarkers(Layer.FOREGROUND)).hasSameSizeAs(marks);
    assertThat(clicks.beatPeriodSeconds()).isCloseTo(0.5, within(0.02));
    assertThat(marks).hasSizeGreaterThanOrEqualTo(9);
    for (int k = 0; k < marks.size(); k++) {
      assertThat(marks.get(k)).isCloseTo((k + 1) * clicks.beatPeriodSeconds(), within(1e-9));
    }
    assertThat(marks.get(0)).isCloseTo(0.5, within(0.02));
    assertThat(chart.getTitle().getText()).contains("beat every");
  }

  @Test
  void comparingTwoExcerptsOverlaysTheirDescriptorsWithTheScoreTheRankingGives() {
    Similarity plain = new Similarity(FeatureConfigs.DEFAULT, Metric.COSINE, TempoAlignment.OFF);
    JFreeChart chart = ExcerptPlots.compare(clicks, start, plain);
    assertThat(plots(chart)).as("small multiples: one per band and the beat spectrum").hasSize(9)
        .allSatisfy(p -> assertThat(p.getDataset().getSeriesCount()).isEqualTo(2));
    assertThat(drawn(chart, 1)).containsExactly(start.descriptor());
    double cos = plain.pair(clicks.descriptor(), clicks.tempoBpm(), start.descriptor(), start.tempoBpm()).score();
    assertThat(cos).isBetween(0.9, 1.0); // the same clicks, ten seconds apart
    assertThat(chart.getTitle().getText()).contains(String.format(Locale.ROOT, "score %.4f (plain cosine; tempo "
        + "alignment off)", cos));
  }

  @Test
  void aPairTheAlignmentScoredIsDrawnRescaledWithItsFactorAndScore() throws Exception {
    ExcerptFigures slower = ExcerptFigures.of(FeatureConfigs.DEFAULT, clickTrack(tmp.resolve("c112.wav"), 112), 5);
    Similarity aligned = new Similarity(FeatureConfigs.DEFAULT, Metric.COSINE, TempoAlignment.DEFAULT);
    Similarity.PairScore p = aligned.pair(clicks.descriptor(), clicks.tempoBpm(), slower.descriptor(), slower.tempoBpm());
    assertThat(p.aligned()).as("120 against 112 BPM: the aligned score wins").isTrue();
    JFreeChart chart = ExcerptPlots.compare(clicks, slower, aligned);
    String title = chart.getTitle().getText();
    assertThat(title).contains(String.format(Locale.ROOT, "score %.4f (tempo-aligned: A rescaled x%.2f", p.score(),
        p.factor())).contains(String.format(Locale.ROOT, "plain cosine %.4f", p.plain()));
    assertThat(drawn(chart, 0)).as("A as the ranking compared it: rescaled by the factor")
        .containsExactly(PostProcessing.tempoScaled(FeatureConfigs.DEFAULT, clicks.descriptor(), p.factor()));
  }

  /** Series {@code series} of every small multiple of {@code chart}, in order: the vector it draws. */
  static float[] drawn(JFreeChart chart, int series) {
    List<Float> values = new ArrayList<>();
    for (XYPlot p : plots(chart)) {
      for (int i = 0; i < p.getDataset().getItemCount(series); i++) {
        values.add((float) p.getDataset().getYValue(series, i));
      }
    }
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i);
    }
    return out;
  }

  /**
   * The standard deviation of the grey level (0 ... 255) inside the data areas of {@code chart} drawn
   * at 480 x 320: near 0 for an empty plot (white, light grid lines), large when lines or colours fill it.
   */
  static double dataAreaSpread(JFreeChart chart) {
    ChartRenderingInfo info = new ChartRenderingInfo();
    BufferedImage img = chart.createBufferedImage(480, 320, info);
    PlotRenderingInfo plot = info.getPlotInfo();
    List<Rectangle2D> areas = new ArrayList<>();
    if (plot.getSubplotCount() == 0) {
      areas.add(plot.getDataArea());
    }
    for (int i = 0; i < plot.getSubplotCount(); i++) {
      areas.add(plot.getSubplotInfo(i).getDataArea());
    }
    double sum = 0;
    double squares = 0;
    long n = 0;
    for (Rectangle2D a : areas) {
      for (int y = (int) a.getMinY() + 1; y < (int) a.getMaxY() - 1; y++) {
        for (int x = (int) a.getMinX() + 1; x < (int) a.getMaxX() - 1; x++) {
          int rgb = img.getRGB(x, y);
          double grey = 0.299 * (rgb >> 16 & 0xff) + 0.587 * (rgb >> 8 & 0xff) + 0.114 * (rgb & 0xff);
          sum += grey;
          squares += grey * grey;
          n++;
        }
      }
    }
    double mean = sum / n;
    return Math.sqrt(squares / n - mean * mean);
  }

  /** The text of every SVG text element of {@code charts} drawn into one SVG, joined by new lines. */
  static String svgText(List<JFreeChart> charts) throws Exception {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    ExcerptPlots.write(charts, 2, 480, 320, ExcerptPlots.Format.SVG, out);
    DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();
    Document doc = dbf.newDocumentBuilder().parse(new java.io.ByteArrayInputStream(out.toByteArray()));
    var texts = doc.getElementsByTagName("text");
    StringBuilder all = new StringBuilder();
    for (int i = 0; i < texts.getLength(); i++) {
      all.append(texts.item(i).getTextContent()).append('\n');
    }
    return all.toString();
  }

  @Test
  void everyFigureIsDrawnAndLabelled() throws Exception {
    Similarity aligned = new Similarity(FeatureConfigs.DEFAULT, Metric.COSINE, TempoAlignment.DEFAULT);
    List<JFreeChart> charts = ExcerptPlots.figures(clicks, start, aligned);
    assertThat(charts).hasSize(6);
    for (JFreeChart chart : charts) {
      assertThat(dataAreaSpread(chart)).as(chart.getTitle().getText()).isGreaterThan(20);
    }
    // the oracle can fail: a silent excerpt's descriptor chart has nothing in it
    ExcerptFigures silent = new ExcerptFigures(clicks.source(), 0, clicks.config(), clicks.melDb(), clicks.similarity(),
        clicks.beatSpectrum(), null, Double.NaN);
    assertThat(dataAreaSpread(ExcerptPlots.descriptor(silent))).isLessThan(20);

    String text = svgText(charts);
    assertThat(text).contains("time (s)", "mel band (low to high)", "dB above the floor", "cosine (2nd to 98th",
        "lag (s)", "B(lag) from 0", "B(lag), detail", "band 1 (low)", "band 8 (high)", "beat spectrum", "value (beyond");
    assertThat(text.lines().filter(l -> l.equals("beat spectrum")).count())
        .as("the heat map's row and the small multiple's name").isEqualTo(2);
  }

  @Test
  void theSimilarityColoursAreStretchedOverTheMatrixsOwnRange() {
    JFreeChart chart = ExcerptPlots.similarity(clicks);
    var bar = (PaintScaleLegend) chart.getSubtitle(chart.getSubtitleCount() - 1);
    var cells = (XYZDataset) chart.getXYPlot().getDataset();
    int n = (int) Math.round(Math.sqrt(cells.getItemCount(0)));
    List<Double> off = new ArrayList<>();
    for (int i = 0; i < cells.getItemCount(0); i++) {
      if (i / n != i % n) {
        off.add(cells.getZValue(0, i));
      }
    }
    off.sort(null);
    assertThat(bar.getScale().getLowerBound()).isEqualTo(off.get((int) Math.round(0.02 * (off.size() - 1))));
    assertThat(bar.getScale().getUpperBound()).isEqualTo(off.get((int) Math.round(0.98 * (off.size() - 1))));
    assertThat(bar.getScale().getLowerBound()).as("stretched: the lowest cells take the end colour")
        .isGreaterThan(off.get(0));
  }

  @Test
  void pngAndSvgFilesHaveTheLaidOutSize() throws Exception {
    Path png = tmp.resolve("f.png");
    ExcerptPlots.write(ExcerptPlots.of(clicks), 2, 400, 300, png);
    byte[] bytes = Files.readAllBytes(png);
    assertThat(bytes).startsWith(0x89, 'P', 'N', 'G');
    BufferedImage img = ImageIO.read(png.toFile());
    assertThat(img.getWidth()).isEqualTo(800);
    assertThat(img.getHeight()).isEqualTo(600);

    Path svg = tmp.resolve("f.svg");
    ExcerptPlots.write(ExcerptPlots.of(clicks), 2, 400, 300, svg);
    DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();
    dbf.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    Document doc = dbf.newDocumentBuilder().parse(svg.toFile()); // well-formed, or this throws
    assertThat(doc.getDocumentElement().getNodeName()).isEqualTo("svg");
    assertThat(Double.parseDouble(doc.getDocumentElement().getAttribute("width"))).isEqualTo(800.0);
    // the heat maps are embedded pictures, not a rectangle per cell (that was 36 MB for these four charts)
    assertThat(Files.size(svg)).isLessThan(2_000_000);
    assertThat(doc.getElementsByTagName("image").getLength()).as("mel, similarity, descriptor").isEqualTo(3);

    assertThatThrownBy(() -> ExcerptPlots.write(ExcerptPlots.of(clicks), 2, 400, 300, tmp.resolve("f.jpg")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must end in .png or .svg");
  }
}
