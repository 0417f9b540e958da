package org.rhythmsearch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rhythmsearch plot} (issue 13, point 1): the figures of an excerpt, alone or against another. */
class PlotCommandTest {

  @TempDir Path tmp;

  @Test
  void plotsOneExcerptOrTwoAsPngAndRefusesWhatItCannotDo() throws Exception {
    Path a = CollectionCommandsTest.drums(tmp.resolve("a.wav"), CollectionCommandsTest.TEMPI[1], 25, 1);
    Path b = CollectionCommandsTest.drums(tmp.resolve("b.wav"), CollectionCommandsTest.TEMPI[3], 25, 2);
    Path png = tmp.resolve("a.png");
    FeaturesCommandTest.Run r = FeaturesCommandTest.run("plot", a.toString(), "--start", "5", "--out", png.toString(),
        "--size", "320x200");
    assertThat(r.exit()).as(r.err()).isZero();
    BufferedImage one = ImageIO.read(png.toFile());
    assertThat(one.getWidth()).isEqualTo(640);
    assertThat(one.getHeight()).isEqualTo(400); // 4 charts, 2 columns

    Path both = tmp.resolve("ab.png");
    r = FeaturesCommandTest.run("plot", a.toString(), "--against", b.toString(), "--out", both.toString(), "--size",
        "320x200");
    assertThat(r.exit()).as(r.err()).isZero();
    var fa = org.rhythmsearch.features.ExcerptFigures.of(org.rhythmsearch.features.FeatureConfigs.DEFAULT, a, 0);
    var fb = org.rhythmsearch.features.ExcerptFigures.of(org.rhythmsearch.features.FeatureConfigs.DEFAULT, b, 0);
    var aligned = new org.rhythmsearch.search.Similarity(org.rhythmsearch.features.FeatureConfigs.DEFAULT,
        org.rhythmsearch.index.Metric.COSINE, org.rhythmsearch.search.TempoAlignment.DEFAULT)
        .withVectors(org.rhythmsearch.index.VectorEncoding.DEFAULT); // as an index built now holds them
    double score = aligned.pair(fa.descriptor(), fa.tempoBpm(), fb.descriptor(), fb.tempoBpm()).score();
    assertThat(r.err()).as("the score query gives the pair").contains(String.format(java.util.Locale.ROOT,
        "score against %s at 0.0 s: %.4f (", b, score));
    assertThat(ImageIO.read(both.toFile()).getHeight()).isEqualTo(600); // 6 charts

    // 96 against 104 BPM (the same pattern 8 % faster): the alignment decides, and the plot says by which factor
    Path faster = CollectionCommandsTest.drums(tmp.resolve("c.wav"), CollectionCommandsTest.TEMPI[1] * 1.08, 25, 1);
    r = FeaturesCommandTest.run("plot", a.toString(), "--against", faster.toString(), "--out",
        tmp.resolve("ac.png").toString(), "--size", "320x200");
    var fc = org.rhythmsearch.features.ExcerptFigures.of(org.rhythmsearch.features.FeatureConfigs.DEFAULT, faster, 0);
    var pc = aligned.pair(fa.descriptor(), fa.tempoBpm(), fc.descriptor(), fc.tempoBpm());
    assertThat(pc.aligned()).isTrue();
    assertThat(r.err()).contains(String.format(java.util.Locale.ROOT, ": %.4f (tempo-aligned: A rescaled x%.2f",
        pc.score(), pc.factor()));
    r = FeaturesCommandTest.run("plot", a.toString(), "--against", faster.toString(), "--out",
        tmp.resolve("ac0.png").toString(), "--tempo-align", "0");
    assertThat(r.err()).contains(String.format(java.util.Locale.ROOT, ": %.4f (plain cosine; tempo alignment off)",
        pc.plain()));

    assertThat(FeaturesCommandTest.run("plot", a.toString(), "--out", tmp.resolve("a.jpg").toString()).exit()).isEqualTo(2);
    FeaturesCommandTest.Run late = FeaturesCommandTest.run("plot", a.toString(), "--start", "20", "--out",
        tmp.resolve("late.png").toString());
    assertThat(late.exit()).isEqualTo(1);
    assertThat(late.err()).contains(a + ": requested time range is outside the audio").doesNotContain("Exception");
    assertThat(tmp.resolve("late.png")).doesNotExist();
    assertThat(Files.size(png)).isPositive();
  }
}
