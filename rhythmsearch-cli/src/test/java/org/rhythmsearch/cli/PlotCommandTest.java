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
    assertThat(r.err()).contains("cosine with " + b + ": 0.");
    assertThat(ImageIO.read(both.toFile()).getHeight()).isEqualTo(600); // 6 charts

    assertThat(FeaturesCommandTest.run("plot", a.toString(), "--out", tmp.resolve("a.jpg").toString()).exit()).isEqualTo(2);
    FeaturesCommandTest.Run late = FeaturesCommandTest.run("plot", a.toString(), "--start", "20", "--out",
        tmp.resolve("late.png").toString());
    assertThat(late.exit()).isEqualTo(1);
    assertThat(late.err()).contains(a + ": requested time range is outside the audio").doesNotContain("Exception");
    assertThat(tmp.resolve("late.png")).doesNotExist();
    assertThat(Files.size(png)).isPositive();
  }
}
