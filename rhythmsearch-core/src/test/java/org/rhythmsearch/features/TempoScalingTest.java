package org.rhythmsearch.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.rhythmsearch.testing.Signals;

/** Rescaling the lag axis undoes a tempo change. */
class TempoScalingTest {

  @ParameterizedTest(name = "{0} at {1} BPM, {2}x faster")
  @CsvSource({"onset-autocorr, 100, 1.10", "onset-autocorr, 120, 0.90", "beat-spectrum-detrended, 110, 1.15",
      "onset-patterns-4, 96, 1.08"})
  void scalingTheFasterVersionByTheTempoRatioMatchesTheOriginal(String feature, double bpm, double ratio) {
    FeatureExtractor fx = new FeatureExtractor(FeatureConfigs.byName(feature));
    float[] original = fx.excerpt(Signals.clickTrack(bpm, 10, 22050, 0.5, 1)).vector();
    float[] changed = fx.excerpt(Signals.clickTrack(bpm * ratio, 10, 22050, 0.5, 2)).vector();
    double before = Signals.cosine(changed, original);
    double after = Signals.cosine(PostProcessing.tempoScaled(fx.config(), changed, ratio), original);
    assertThat(after).as("cosine before %.3f, after rescaling %.3f", before, after).isGreaterThan(before + 0.2);
    assertThat(after).isGreaterThan(0.8);
  }

  @Test
  void factorOneIsTheIdentityAndNonLagFeaturesAreRefused() {
    FeatureConfig c = FeatureConfigs.ONSET_AUTOCORR;
    float[] v = new FeatureExtractor(c).excerpt(Signals.clickTrack(100, 10, 22050, 0, 1)).vector();
    float[] same = PostProcessing.tempoScaled(c, v, 1.0);
    for (int i = 0; i < v.length; i++) {
      assertThat(same[i]).isCloseTo(v[i], within(1e-6f));
    }
    assertThatThrownBy(() -> PostProcessing.tempoScaled(FeatureConfigs.SEED_NOTEBOOK, new float[127], 1.1))
        .hasMessageContaining("not lag-indexed");
    assertThatThrownBy(() -> PostProcessing.tempoScaled(c, new float[10], 1.1)).hasMessageContaining("dimension");
  }

  @Test
  void tempoFactorsCoverTheToleranceInOnePercentSteps() {
    double[] f = org.rhythmsearch.search.TrackSearchTempo.factors(0.05);
    double[] expected = {0.95, 0.96, 0.97, 0.98, 0.99, 1.0, 1.01, 1.02, 1.03, 1.04, 1.05};
    assertThat(f).hasSize(expected.length);
    for (int i = 0; i < f.length; i++) {
      assertThat(f[i]).isCloseTo(expected[i], within(1e-12));
    }
    assertThat(org.rhythmsearch.search.TrackSearchTempo.factors(0)).containsExactly(1.0);
  }
}
