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
import org.jfree.chart.JFreeChart;
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

  @Test
  void theLineChartsPlotExactlyTheComputedValues() {
    XYDataset beat = ExcerptPlots.beatSpectrum(clicks).getXYPlot().getDataset();
    assertThat(beat.getItemCount(0)).isEqualTo(clicks.beatSpectrum().length);
    for (int i = 0; i < clicks.beatSpectrum().length; i++) {
      assertThat(beat.getXValue(0, i)).isEqualTo(clicks.lagSeconds(i));
      assertThat(beat.getYValue(0, i)).isEqualTo(clicks.beatSpectrum()[i]);
    }
    XYDataset d = ExcerptPlots.descriptor(clicks).getXYPlot().getDataset();
    assertThat(d.getItemCount(0)).isEqualTo(clicks.descriptor().length);
    for (int i = 0; i < clicks.descriptor().length; i++) {
      assertThat(d.getYValue(0, i)).isEqualTo(clicks.descriptor()[i]);
    }
  }

  @Test
  void theHeatMapsShowTheSpectrogramAndTheMatrixAveragedInto256Cells() {
    var mel = (org.jfree.data.xy.XYZDataset) ExcerptPlots.mel(clicks).getXYPlot().getDataset();
    int frames = clicks.frames(); // 431: two frames a cell
    int mels = clicks.melDb().mels();
    assertThat(mel.getItemCount(0)).isEqualTo((frames + 1) / 2 * mels);
    for (int band = 0; band < mels; band += 9) {
      double expected = (clicks.melDb().get(2, band) + clicks.melDb().get(3, band)) / 2.0; // the second cell
      assertThat(mel.getZValue(0, mels + band)).isCloseTo(expected, within(1e-6));
    }
    var sim = (org.jfree.data.xy.XYZDataset) ExcerptPlots.similarity(clicks).getXYPlot().getDataset();
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
    for (Object m : chart.getXYPlot().getDomainMarkers(Layer.FOREGROUND)) {
      marks.add(((ValueMarker) m).getValue());
    }
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
    assertThat(chart.getXYPlot().getDataset().getSeriesCount()).isEqualTo(2);
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
    float[] drawn = new float[clicks.descriptor().length];
    for (int i = 0; i < drawn.length; i++) {
      drawn[i] = (float) chart.getXYPlot().getDataset().getYValue(0, i);
    }
    assertThat(drawn).as("A as the ranking compared it: rescaled by the factor")
        .containsExactly(PostProcessing.tempoScaled(FeatureConfigs.DEFAULT, clicks.descriptor(), p.factor()));
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
    assertThat(doc.getElementsByTagName("image").getLength()).isEqualTo(2);

    assertThatThrownBy(() -> ExcerptPlots.write(ExcerptPlots.of(clicks), 2, 400, 300, tmp.resolve("f.jpg")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must end in .png or .svg");
  }
}
