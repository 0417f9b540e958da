package org.rhythmsearch.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rhythmsearch.eval.GrooveSynth.Ensemble;
import org.rhythmsearch.eval.GrooveSynth.Family;
import org.rhythmsearch.features.FeatureConfigs;
import org.rhythmsearch.index.Metric;
import org.rhythmsearch.search.Similarity;
import org.rhythmsearch.search.TempoAlignment;

class GrooveEvaluationTest {

  @Test
  void strokesFallOnTheirPatternsStepsAtTheTempo() {
    // the waltz's low voice is on beat 1 of every 3/4 bar: at 120 BPM every 1.5 s, within the human jitter
    // (8 ms standard deviation: 5 sigma is 40 ms) and the player's drift (0.2 % at most)
    List<GrooveSynth.Stroke> waltz = GrooveSynth.strokes(Family.WALTZ, 120, 30, 8, 1);
    List<GrooveSynth.Stroke> low = waltz.stream().filter(s -> s.voice() == 'L').toList();
    assertThat(low).hasSize(20);
    for (int i = 0; i < low.size(); i++) {
      assertThat(low.get(i).seconds()).isCloseTo(1.5 * i, within(0.04 + 0.002 * 1.5 * i));
    }
    // 6/8 at 120 (dotted-quarter) BPM: low on every bar of two beats (1 s), backbeat half a bar later
    List<GrooveSynth.Stroke> sixEight = GrooveSynth.strokes(Family.SIX_EIGHT, 120, 10, 0, 2);
    List<Double> backbeats = sixEight.stream().filter(s -> s.voice() == 'M').map(GrooveSynth.Stroke::seconds).toList();
    assertThat(backbeats).hasSize(10).allSatisfy(t -> assertThat(t % 1.0).isCloseTo(0.5, within(0.03)));
    // son clave 3-2: five clicks per two bars of 4/4 (4 s at 120 BPM), at eighths 0, 3, 6, 10, 12
    List<Double> clave = GrooveSynth.strokes(Family.SON_CLAVE, 120, 3.9, 0, 3).stream()
        .filter(s -> s.voice() == 'C').map(GrooveSynth.Stroke::seconds).toList();
    assertThat(clave).hasSize(5);
    double[] eighths = {0, 3, 6, 10, 12};
    for (int i = 0; i < 5; i++) {
      assertThat(clave.get(i)).isCloseTo(eighths[i] * 0.25, within(0.01));
    }
  }

  @Test
  void renderingIsSeededAndTakesDiffer() {
    float[] a = GrooveSynth.render(Family.TANGO, Ensemble.BAND, 100, 3, 5).samples();
    float[] b = GrooveSynth.render(Family.TANGO, Ensemble.BAND, 100, 3, 5).samples();
    float[] c = GrooveSynth.render(Family.TANGO, Ensemble.BAND, 100, 3, 6).samples();
    assertThat(a).hasSize(3 * GrooveSynth.SAMPLE_RATE).containsExactly(b);
    assertThat(a).isNotEqualTo(c);
    float peak = 0;
    for (float x : a) {
      peak = Math.max(peak, Math.abs(x));
    }
    assertThat(peak).isCloseTo(0.7f, within(1e-6f));
  }

  @Test
  void nearestClipsAreCountedByFamilyMeterAndEnsemble() {
    // hand-made vectors: a waltz and a foxtrot by the drums at 100 BPM nearly alike (a waltz <-> 4/4
    // confusion each way), a waltz by the band near the drums' waltz (same family, other ensemble), a tango
    // by the band far from everything
    float[] w = unit(1, 0, 0, 0);
    List<GrooveEvaluation.Clip> clips = List.of(
        new GrooveEvaluation.Clip(Family.WALTZ, Ensemble.DRUMS, 100, 0, w, Double.NaN),
        new GrooveEvaluation.Clip(Family.FOXTROT, Ensemble.DRUMS, 100, 0, unit(1, 0.05f, 0, 0.01f), Double.NaN),
        new GrooveEvaluation.Clip(Family.WALTZ, Ensemble.BAND, 100, 0, unit(1, 0.3f, 0.2f, 0), Double.NaN),
        new GrooveEvaluation.Clip(Family.TANGO, Ensemble.BAND, 116, 0, unit(0, 0, 0.1f, 1), Double.NaN));
    GrooveEvaluation.Result r = new GrooveEvaluation(
        new Similarity(FeatureConfigs.DEFAULT, Metric.COSINE, TempoAlignment.OFF), 0, 1).evaluate(clips);
    // nearest other clip: waltz(d) -> foxtrot(d), foxtrot(d) -> waltz(d), waltz(b) -> foxtrot(d), tango -> waltz(b)
    assertThat(r.nearestSameFamily()).isEqualTo(0.0);
    assertThat(r.nearestSameMeter()).isEqualTo(0.0);
    assertThat(r.waltzFourFourConfusions()).isEqualTo(3);
    // among other ensembles: waltz(d) -> waltz(b), foxtrot(d) -> waltz(b), waltz(b) -> foxtrot(d) (cosine
    // 0.954 against 0.941 for the drums' waltz), tango(b) -> foxtrot(d) (its only non-zero cosine there)
    int[][] c = r.otherEnsembleConfusions();
    assertThat(c[Family.WALTZ.ordinal()][Family.WALTZ.ordinal()]).isEqualTo(1);
    assertThat(c[Family.WALTZ.ordinal()][Family.FOXTROT.ordinal()]).isEqualTo(1);
    assertThat(c[Family.FOXTROT.ordinal()][Family.WALTZ.ordinal()]).isEqualTo(1);
    assertThat(c[Family.TANGO.ordinal()][Family.FOXTROT.ordinal()]).isEqualTo(1);
    assertThat(r.otherEnsembleSameFamily()).isEqualTo(0.25);
    assertThat(r.otherEnsembleSameMeter()).isEqualTo(0.5);
  }

  private static float[] unit(float... v) {
    double n = 0;
    for (float x : v) {
      n += x * x;
    }
    float[] out = new float[FeatureConfigs.DEFAULT.dimension()];
    for (int i = 0; i < v.length; i++) {
      out[i] = (float) (v[i] / Math.sqrt(n));
    }
    return out;
  }

  @Test
  void theDefaultFeatureOnOneTakeOfEveryGroove() {
    // one take of every groove x ensemble x tempo (72 clips). A ratchet, not the goal: issue 25 asks that
    // no waltz and 4/4 groove at the same tempo be each other's nearest; the default feature confuses 4
    // of 72 clips (the same ensemble's other groove at the same tempo: timbre leaks into the onset
    // bands), and finds the same meter among the other ensembles' clips for 0.903 (docs/EVALUATION.md).
    // Neither may get worse.
    GrooveEvaluation.Result r = new GrooveEvaluation(
        new Similarity(FeatureConfigs.DEFAULT, Metric.COSINE, TempoAlignment.DEFAULT), 0, 1).run();
    assertThat(r.clips()).isEqualTo(Family.values().length * Ensemble.values().length * GrooveEvaluation.TEMPI.length);
    assertThat(r.waltzFourFourConfusions()).isLessThanOrEqualTo(4);
    assertThat(r.otherEnsembleSameMeter()).isGreaterThanOrEqualTo(0.90);
    int[][] confusion = r.otherEnsembleConfusions();
    int total = 0;
    for (int[] row : confusion) {
      for (int x : row) {
        total += x;
      }
    }
    assertThat(total).isEqualTo(r.clips());
  }
}
