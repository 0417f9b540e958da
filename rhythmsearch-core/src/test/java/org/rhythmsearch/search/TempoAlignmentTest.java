package org.rhythmsearch.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rhythmsearch.features.ExcerptVector;
import org.rhythmsearch.features.FeatureConfig;
import org.rhythmsearch.features.FeatureConfigs;
import org.rhythmsearch.features.FeatureExtractor;
import org.rhythmsearch.features.PostProcessing;
import org.rhythmsearch.features.TrackFeatures;
import org.rhythmsearch.index.ExactIndex;
import org.rhythmsearch.index.Metric;
import org.rhythmsearch.index.VectorMatrix;
import org.rhythmsearch.store.Snapshot;
import org.rhythmsearch.store.TrackRecord;
import org.rhythmsearch.testing.Signals;

/** Tempo-aligned scoring against its definition, and its effect on generated drum tracks. */
class TempoAlignmentTest {

  private static final FeatureConfig C = FeatureConfigs.ONSET_BEAT_8;

  @Test
  void stepsFoldOctavesAndStayWithinTheTolerance() {
    assertThat(TempoAlignment.step(104, 100, 15)).isEqualTo(4);
    assertThat(TempoAlignment.step(100, 104, 15)).as("0.9615 rounds to -4 %").isEqualTo(-4);
    assertThat(TempoAlignment.step(208, 100, 15)).as("an octave above folds to 1.04").isEqualTo(4);
    assertThat(TempoAlignment.step(52, 100, 15)).as("an octave below folds to 1.04").isEqualTo(4);
    assertThat(TempoAlignment.step(120, 100, 15)).as("20 % is beyond 15 %").isZero();
    assertThat(TempoAlignment.step(100, 100.2, 15)).as("equal after rounding").isZero();
    assertThat(TempoAlignment.step(Double.NaN, 100, 15)).isZero();
    assertThat(TempoAlignment.step(100, Float.NaN, 15)).isZero();
    assertThatThrownBy(() -> new TempoAlignment(0.6, 0)).hasMessageContaining("tolerance=0.6");
    assertThatThrownBy(() -> new TempoAlignment(0.1, -1)).hasMessageContaining("margin=-1");
  }

  @Test
  void scoresAreTheMaximumOfThePlainAndTheMarginedAlignedCosine() {
    FeatureExtractor fx = new FeatureExtractor(C);
    double[] tempi = {100, 104, 112, 130, 150};
    float[] data = new float[tempi.length * C.dimension()];
    float[] rowTempo = new float[tempi.length];
    for (int i = 0; i < tempi.length; i++) {
      FeatureExtractor.Result r = fx.excerpt(Signals.clickTrack(tempi[i], 10, 22050, 0.5, 40 + i));
      System.arraycopy(r.vector(), 0, data, i * C.dimension(), C.dimension());
      rowTempo[i] = i == 4 ? Float.NaN : (float) r.tempoBpm(); // the last row's tempo unknown
    }
    ExactIndex index = new ExactIndex(new VectorMatrix(data, C.dimension()));
    FeatureExtractor.Result q = fx.excerpt(Signals.clickTrack(108, 10, 22050, 0.5, 3));
    Similarity a = new Similarity(C, Metric.COSINE, new TempoAlignment(0.15, 0.05));  // steps up to 15
    float[] got = a.all(index, q.vector(), q.tempoBpm(), rowTempo);
    float[] plain = index.scores(q.vector(), Metric.COSINE);
    for (int r = 0; r < tempi.length; r++) {
      int k = TempoAlignment.step(q.tempoBpm(), rowTempo[r], 15);
      double expected = plain[r];
      if (k != 0) {
        float[] scaled = PostProcessing.tempoScaled(C, q.vector(), 1 + k * TempoAlignment.STEP);
        expected = Math.max(plain[r], Signals.cosine(scaled, index.vectors().row(r)) - 0.05);
      }
      assertThat((double) got[r]).as("row %d (step %d)", r, k).isCloseTo(expected, within(1e-5));
    }
    assertThat(got[1]).as("104 BPM, aligned from 108, beats its plain score").isGreaterThan(plain[1]);
    assertThat(got[3]).as("130 BPM is beyond 15 %: plain").isEqualTo(plain[3]);
    assertThat(got[4]).as("unknown tempo: plain").isEqualTo(plain[4]);
    assertThat(new Similarity(C, Metric.COSINE, TempoAlignment.OFF).all(index, q.vector(), q.tempoBpm(), rowTempo))
        .containsExactly(plain);
  }

  @Test
  void aFasterCopyIsFoundFirstWithAlignmentAndNotWithout() {
    // five "songs" of one groove family at different tempi; the query is song 2 played 8 % faster
    double[] tempi = {84, 96, 110, 126, 140};
    FeatureExtractor fx = new FeatureExtractor(C);
    List<TrackRecord> tracks = new ArrayList<>();
    List<float[]> rows = new ArrayList<>();
    List<Float> rowTempo = new ArrayList<>();
    List<Integer> rowTrack = new ArrayList<>();
    for (int t = 0; t < tempi.length; t++) {
      tracks.add(new TrackRecord(t, "song-" + (int) tempi[t], 0, 0, "h" + t, 30, 3, null));
      for (int e = 0; e < 3; e++) {
        FeatureExtractor.Result r = fx.excerpt(Signals.clickTrack(tempi[t], 10, 22050, 0.5, 100 * t + e));
        rows.add(r.vector());
        rowTempo.add((float) r.tempoBpm());
        rowTrack.add(t);
      }
    }
    float[] data = new float[rows.size() * C.dimension()];
    float[] tempo = new float[rows.size()];
    int[] track = new int[rows.size()];
    float[] start = new float[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      System.arraycopy(rows.get(i), 0, data, i * C.dimension(), C.dimension());
      tempo[i] = rowTempo.get(i);
      track[i] = rowTrack.get(i);
      start[i] = 10 * (i % 3);
    }
    TrackSearch search = new TrackSearch(new Snapshot(C, tracks, new VectorMatrix(data, C.dimension()), track, start, tempo));
    List<ExcerptVector> q = new ArrayList<>();
    for (int e = 0; e < 2; e++) {
      FeatureExtractor.Result r = fx.excerpt(Signals.clickTrack(110 * 1.08, 10, 22050, 0.5, 900 + e));
      q.add(new ExcerptVector(10 * e, r.vector(), r.tempoBpm()));
    }
    TrackFeatures query = new TrackFeatures("faster", C, 20, 10, q, List.of());
    List<TrackSearch.Hit> aligned = search.query(query, null, null, 5, Metric.COSINE, Aggregation.MEAN, 0,
        TempoAlignment.DEFAULT);
    assertThat(aligned.get(0).track().path()).isEqualTo("song-110");
    assertThat(aligned.get(0).tempoBpm()).isCloseTo(110, within(1.5));
    List<TrackSearch.Hit> plain = search.query(query, null, null, 5, Metric.COSINE, Aggregation.MEAN, 0,
        TempoAlignment.OFF);
    assertThat(plain.get(0).track().path()).as("without alignment the nearest tempo wins").isNotEqualTo("song-110");
  }
}
