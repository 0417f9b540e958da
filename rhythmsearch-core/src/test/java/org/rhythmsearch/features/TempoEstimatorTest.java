package org.rhythmsearch.features;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rhythmsearch.testing.Signals;

/** Tempo of generated drum tracks of known tempo. */
class TempoEstimatorTest {

  private static final double[] TEMPI = {60, 72, 85, 96, 108, 120, 133, 150, 170, 190};

  private static double estimate(double bpm, double offbeat, long seed) {
    FeatureExtractor fx = new FeatureExtractor(FeatureConfigs.DEFAULT);
    float[] x = Signals.clickTrack(bpm, 10, 22050, offbeat, seed);
    return new TempoEstimator().bpm(fx.compress(fx.melPower(x)));
  }

  @Test
  void drumTracksOfKnownTempoAreWithinOnePercentOctaveErrorsCountedApart() {
    List<String> exact = new ArrayList<>();
    List<String> octave = new ArrayList<>();
    List<String> wrong = new ArrayList<>();
    for (double offbeat : new double[] {0, 0.5}) {
      for (int i = 0; i < TEMPI.length; i++) {
        double truth = TEMPI[i];
        double est = estimate(truth, offbeat, 7 + i);
        String what = truth + " BPM (off-beat " + offbeat + "): " + est;
        double ratio = est / truth;
        if (Math.abs(ratio - 1) <= 0.01) {
          exact.add(what);
        } else if (Math.abs(ratio - 2) <= 0.02 || Math.abs(ratio - 0.5) <= 0.005) {
          octave.add(what);
        } else {
          wrong.add(what);
        }
      }
    }
    assertThat(wrong).as("estimates neither within 1 % nor an octave off").isEmpty();
    // The octave errors are the metrical ambiguities a listener has too: slow beats with straight
    // off-beats heard as eighth notes (60, 72 -> 120, 143) and 190 BPM pulled to 95 by the prior.
    assertThat(octave).as("octave errors").hasSizeLessThanOrEqualTo(4);
    assertThat(exact).as("within 1 %").hasSizeGreaterThanOrEqualTo(16);
    for (double truth : TEMPI) {
      if (truth >= 70 && truth <= 170) {
        assertThat(estimate(truth, 0, 1)).as("plain beat at %s BPM", truth)
            .isCloseTo(truth, org.assertj.core.data.Offset.offset(0.01 * truth));
      }
    }
  }

  @Test
  void aStretchedExcerptsTempoScalesByTheStretchFactor() {
    for (double factor : new double[] {0.85, 0.92, 0.96, 1.04, 1.08, 1.15}) {
      double a = estimate(110, 0, 3);
      double b = estimate(110 * factor, 0, 3);
      assertThat(b / a).as("factor %s", factor).isCloseTo(factor, org.assertj.core.data.Offset.offset(0.02 * factor));
    }
  }

  @Test
  void aFlatEnvelopeHasNoTempo() {
    FeatureExtractor fx = new FeatureExtractor(FeatureConfigs.DEFAULT);
    float[] tone = Signals.tone(440, 0.5, 220500, 22050);
    assertThat(new TempoEstimator().bpm(fx.compress(fx.melPower(tone)))).isNaN();
  }

  @Test
  void theCombFindsAPeriodBetweenLags() {
    // a detrended autocorrelation with peaks every 37.3 lags (not a whole number)
    float[] r = new float[216];
    for (int l = 0; l < r.length; l++) {
      double phase = l / 37.3;
      r[l] = (float) Math.max(0, 1 - 4 * Math.abs(phase - Math.rint(phase))) - 0.25f;
    }
    double secondsPerLag = 512 / 22050.0;
    double expected = 60 / (37.3 * secondsPerLag);
    assertThat(TempoEstimator.bpm(r, secondsPerLag)).isCloseTo(expected, org.assertj.core.data.Offset.offset(0.002 * expected));
  }
}
