package org.rhythmsearch.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rhythmsearch.testing.Signals;

/** The data of the study's figures for one excerpt (issue 13, point 1). */
class ExcerptFiguresTest {

  @TempDir Path tmp;

  @Test
  void aClickTrackAt120BpmShowsItsHalfSecondPeriodAndTheIndexedVector() throws Exception {
    Path wav = tmp.resolve("clicks.wav");
    Signals.writeWav16(wav, 22050, Signals.clickTrack(120, 25, 22050, 0.5, 3));
    FeatureConfig c = FeatureConfigs.DEFAULT;
    ExcerptFigures f = ExcerptFigures.of(c, wav, 10);

    // the descriptor is the vector the index stores for the excerpt at 10 s
    float[] indexed = new FeatureExtractor(c).track(wav, 10).excerpts().get(1).vector();
    assertThat(f.descriptor()).hasSameSizeAs(indexed);
    for (int i = 0; i < indexed.length; i++) {
      assertThat(f.descriptor()[i]).as("value %d", i).isCloseTo(indexed[i], within(1e-5f));
    }
    // the similarity matrix: symmetric; on its diagonal 1, or 0 for a frame at the dB floor (no direction)
    int n = f.frames();
    assertThat(f.similarity()).hasSize(n * n);
    int ones = 0;
    for (int i = 0; i < n; i++) {
      float d = f.similarity()[i * n + i];
      assertThat(d == 0f || Math.abs(d - 1f) < 1e-4f).as("diagonal %d: %s", i, d).isTrue();
      ones += d == 0f ? 0 : 1;
    }
    assertThat(ones).isGreaterThan(n / 2);
    for (int i = 0; i < n; i += 37) {
      for (int j = 0; j < n; j += 41) {
        assertThat(f.similarity()[i * n + j]).isEqualTo(f.similarity()[j * n + i]);
      }
    }
    // the beat spectrum is the mean of the matrix's diagonals
    for (int lag = 0; lag < f.beatSpectrum().length; lag += 7) {
      double sum = 0;
      for (int t = 0; t + lag < n; t++) {
        sum += f.similarity()[t * n + t + lag];
      }
      assertThat((double) f.beatSpectrum()[lag]).as("lag %d", lag).isCloseTo(sum / (n - lag), within(1e-3));
    }
    // its highest peak between 0.3 and 0.7 s lies at the click period, 0.5 s (one frame is 23 ms)
    int best = -1;
    for (int lag = 0; lag < f.beatSpectrum().length; lag++) {
      double s = f.lagSeconds(lag);
      if (s >= 0.3 && s <= 0.7 && (best < 0 || f.beatSpectrum()[lag] > f.beatSpectrum()[best])) {
        best = lag;
      }
    }
    assertThat(f.lagSeconds(best)).isCloseTo(0.5, within(0.03));
    assertThat(f.beatPeriodSeconds()).isCloseTo(0.5, within(0.02));
  }
}
