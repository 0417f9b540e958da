package org.rhythmsearch.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rhythmsearch.testing.Signals;

/** Onset-pattern descriptors: autocorrelation arithmetic, beat period, tempo robustness of log-lag. */
class OnsetPatternsTest {

  @Test
  void autocorrelationMatchesTheDirectSum() {
    SplittableRandom rnd = new SplittableRandom(3);
    for (int trial = 0; trial < 20; trial++) {
      int n = 2 + rnd.nextInt(600);
      int maxLag = rnd.nextInt(n);
      float[] x = new float[n];
      for (int i = 0; i < n; i++) {
        x[i] = (float) rnd.nextDouble();
      }
      float[] fast = OnsetPatterns.normalisedAutocorrelation(x, maxLag);
      double mean = 0;
      for (float v : x) {
        mean += v;
      }
      mean /= n;
      double[] r = new double[maxLag + 1];
      for (int l = 0; l <= maxLag; l++) {
        for (int t = 0; t + l < n; t++) {
          r[l] += (x[t] - mean) * (x[t + l] - mean);
        }
      }
      for (int l = 0; l <= maxLag; l++) {
        assertThat((double) fast[l]).as("trial %d lag %d", trial, l).isCloseTo(r[l] / r[0], within(1e-4));
      }
    }
  }

  @ParameterizedTest(name = "{0} BPM")
  @ValueSource(doubles = {90, 120, 150})
  void onsetAutocorrelationPeaksAtTheBeatPeriod(double bpm) {
    float[] v = new FeatureExtractor(FeatureConfigs.ONSET_AUTOCORR).rawDescriptor(Signals.clickTrack(bpm, 10, 22050, 0, 4));
    // v[i] is lag i + 1
    float[] withLag0 = new float[v.length + 1];
    System.arraycopy(v, 0, withLag0, 1, v.length);
    withLag0[0] = withLag0[1];
    List<Integer> peaks = BeatSpectrumTest.peaks(withLag0);
    float top = 0;
    for (int l : peaks) {
      top = Math.max(top, withLag0[l]);
    }
    int first = -1;
    for (int l : peaks) {
      if (withLag0[l] >= 0.6f * top) {
        first = l;
        break;
      }
    }
    assertThat((double) first).isCloseTo(60.0 / bpm * 22050 / 512, within(1.0));
  }

  @Test
  void dimensionsAreAsDocumented() {
    assertThat(FeatureConfigs.ONSET_AUTOCORR.dimension()).isEqualTo(215);
    assertThat(FeatureConfigs.ONSET_PATTERNS_4.dimension()).isEqualTo(860);
    assertThat(FeatureConfigs.ONSET_PATTERNS_8.dimension()).isEqualTo(1720);
    assertThat(FeatureConfigs.ONSET_LOGLAG_4.dimension()).isEqualTo(128);
    for (FeatureConfig c : List.of(FeatureConfigs.ONSET_AUTOCORR, FeatureConfigs.ONSET_PATTERNS_4, FeatureConfigs.ONSET_LOGLAG_4)) {
      float[] v = new FeatureExtractor(c).excerpt(Signals.clickTrack(100, 10, 22050, 0.5, 1)).vector();
      assertThat(v).hasSize(c.dimension());
    }
  }

  /** Oracle for tempo robustness: the same pattern 8 % faster stays closer under log-lag than under the beat spectrum. */
  @Test
  void logLagIsMoreTempoRobustThanTheBeatSpectrum() {
    double[] gains = new double[3];
    double[] bpms = {96, 112, 128};
    for (int i = 0; i < bpms.length; i++) {
      float[] a = Signals.clickTrack(bpms[i], 10, 22050, 0.5, 7);
      float[] b = Signals.clickTrack(bpms[i] * 1.08, 10, 22050, 0.5, 8);
      double logLag = cosine(FeatureConfigs.ONSET_LOGLAG_4, a, b);
      double beat = cosine(FeatureConfigs.BEAT_SPECTRUM_DETRENDED, a, b);
      gains[i] = logLag - beat;
      assertThat(logLag).as("%s BPM: log-lag %.3f vs beat spectrum %.3f", bpms[i], logLag, beat).isGreaterThan(beat);
    }
  }

  private static double cosine(FeatureConfig c, float[] a, float[] b) {
    FeatureExtractor fx = new FeatureExtractor(c);
    return Signals.cosine(fx.excerpt(a).vector(), fx.excerpt(b).vector());
  }

  @Test
  void onsetBeatIsTheOnsetPatternsShortLagsAndTheBeatSpectrumHalfTheEnergyEach() {
    FeatureConfig c = FeatureConfigs.ONSET_BEAT_8;
    assertThat(c.dimension()).isEqualTo(8 * 108 + 216);
    float[] x = Signals.clickTrack(104, 10, 22050, 0.5, 5);
    float[] v = new FeatureExtractor(c).excerpt(x).vector();
    float[] patterns = new FeatureExtractor(FeatureConfigs.ONSET_PATTERNS_8).rawDescriptor(x);
    float[] beat = new FeatureExtractor(FeatureConfigs.BEAT_SPECTRUM_DETRENDED).rawDescriptor(x);
    // the onset block: each band's lags 1..108 of the 8-band onset patterns (lags 1..215)
    float[] onsetBlock = new float[8 * 108];
    for (int b = 0; b < 8; b++) {
      System.arraycopy(patterns, b * 215, onsetBlock, b * 108, 108);
    }
    float[] expected = PostProcessing.halfEnergyEach(onsetBlock, beat);
    assertThat(v).hasSize(expected.length);
    for (int i = 0; i < v.length; i++) {
      assertThat(v[i]).as("value %d", i).isCloseTo(expected[i], org.assertj.core.api.Assertions.within(1e-5f));
    }
    double onsetEnergy = 0;
    for (int i = 0; i < 8 * 108; i++) {
      onsetEnergy += v[i] * v[i];
    }
    assertThat(onsetEnergy).isCloseTo(0.5, org.assertj.core.api.Assertions.within(1e-5));
  }
}
