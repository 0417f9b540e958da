package org.rhythmsearch.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.rhythmsearch.features.ExcerptVector;
import org.rhythmsearch.features.FeatureConfig;
import org.rhythmsearch.features.FeatureConfigs;
import org.rhythmsearch.features.TrackFeatures;
import org.rhythmsearch.index.ApproximateIndex;
import org.rhythmsearch.index.ExactIndex;
import org.rhythmsearch.index.IvfIndex;
import org.rhythmsearch.index.LshIndex;
import org.rhythmsearch.index.Metric;
import org.rhythmsearch.index.VectorMatrix;
import org.rhythmsearch.store.Snapshot;
import org.rhythmsearch.testing.Grooves;

/**
 * Issue 24, point 1: one score for a pair of excerpts, computed through every path of the core — one
 * pair ({@link Similarity#pair}, what plots and the HTTP plot print), exact search ({@link Similarity#all}),
 * the re-scoring of candidates ({@link Similarity#ofRows}), the approximate search through IVF and LSH
 * ({@link ApproximateSearch}), the track search exact and approximate (its best pair's score), the
 * one-track score of the Spark graph ({@link TrackSearch#meanOfBest}) — equal to 1e-6, with tempo
 * alignment on (most pairs of this set are aligned) and off. (The Spark job, the HTTP plot and the
 * evaluation have their own tests against these numbers.)
 */
class OneSimilarityTest {

  private static final FeatureConfig C = FeatureConfigs.ONSET_BEAT_8;

  @Test
  void oneThreadScoresFeaturesOfOtherDimensionsInTurn() throws InterruptedException {
    // the rescaled queries live in per-thread buffers: those of a 1 080-value feature must not be offered
    // to a 1 720-value one (a regression: "alternative 6 has dimension 1080")
    double spread = 0.4; // the first feature's rows meet more tempo steps than the next one's
    for (FeatureConfig c : List.of(FeatureConfigs.ONSET_BEAT_8, FeatureConfigs.ONSET_PATTERNS_8, FeatureConfigs.ONSET_BEAT_8)) {
      spread /= 2;
      SplittableRandom rnd = new SplittableRandom(c.dimension());
      int rows = 30;
      float[] data = new float[rows * c.dimension()];
      float[] tempo = new float[rows];
      for (int i = 0; i < data.length; i++) {
        data[i] = (float) rnd.nextDouble();
      }
      for (int r = 0; r < rows; r++) {
        tempo[r] = (float) (120 * (1 - spread / 2 + spread * r / rows));
      }
      float[] q = new VectorMatrix(data, c.dimension()).row(7);
      ExactIndex index = new ExactIndex(new VectorMatrix(data, c.dimension()));
      Similarity sim = new Similarity(c, Metric.COSINE, TempoAlignment.DEFAULT);
      float[] here = sim.all(index, q, 120, tempo);
      float[][] fresh = new float[1][];
      Thread t = new Thread(() -> fresh[0] = sim.all(index, q, 120, tempo));
      t.start();
      t.join();
      assertThat(here).as(c.name()).containsExactly(fresh[0]);
    }
  }

  @Test
  void everyPathGivesAPairTheSameScore() {
    Grooves grooves = new Grooves(C, 12, 31);
    Snapshot snap = grooves.snapshot(36, 3, 0.3);
    ExactIndex exact = new ExactIndex(snap.vectors());
    SplittableRandom rnd = new SplittableRandom(8);
    int alignedPairs = 0;
    for (TempoAlignment alignment : List.of(TempoAlignment.DEFAULT, TempoAlignment.OFF, new TempoAlignment(0.3, 0.05))) {
      Similarity sim = new Similarity(C, Metric.COSINE, alignment);
      List<ApproximateSearch> approximate = new ArrayList<>();
      for (ApproximateIndex ann : List.of(new IvfIndex(snap.vectors(), new IvfIndex.Params(6, 6, 200, 3)),
          new LshIndex(snap.vectors(), new LshIndex.Params(2, 4, 16, 0, 5)))) {
        approximate.add(new ApproximateSearch(ann, new ExactIndex(snap.vectors()), snap.excerptTempo()));
      }
      for (int i = 0; i < 8; i++) {
        int g = rnd.nextInt(grooves.size());
        double phi = 0.85 + 0.3 * rnd.nextDouble();
        float[] q = grooves.excerpt(g, phi, 0.3);
        double tempo = grooves.tempo(g) * phi;
        float[] all = sim.all(exact, q, tempo, snap.excerptTempo());
        int[] everyRow = new int[snap.vectors().rows()];
        for (int r = 0; r < everyRow.length; r++) {
          everyRow[r] = r;
        }
        float[] ofRows = sim.ofRows(exact, q, tempo, snap.excerptTempo(), everyRow);
        for (int r = 0; r < everyRow.length; r++) {
          Similarity.PairScore p = sim.pair(q, tempo, snap.vectors().row(r), snap.excerptTempo()[r]);
          assertThat(p.score()).as("pair vs exact, row %d", r).isCloseTo(all[r], within(1e-6));
          assertThat((double) ofRows[r]).as("re-scoring vs exact, row %d", r).isCloseTo(all[r], within(1e-6));
          alignedPairs += p.aligned() ? 1 : 0;
          // the Spark graph's score of a one-excerpt track is that excerpt's score
          double spark = TrackSearch.meanOfBest(sim, List.of(new ExcerptVector(0, q, tempo)),
              new VectorMatrix(snap.vectors().row(r), C.dimension()), new float[] {snap.excerptTempo()[r]});
          assertThat(spark).as("Spark's track score, row %d", r).isCloseTo(all[r], within(1e-6));
        }
        for (ApproximateSearch a : approximate) {
          ApproximateSearch.Scored c = a.score(q, tempo, sim);
          assertThat(c.rows()).as(a.index().describe()).isNotEmpty();
          for (int j = 0; j < c.rows().length; j++) {
            assertThat((double) c.scores()[j]).as("%s, row %d", a.index().describe(), c.rows()[j])
                .isCloseTo(all[c.rows()[j]], within(1e-6));
          }
        }
      }
    }
    assertThat(alignedPairs).as("pairs whose aligned score decided").isGreaterThan(20);
  }

  @Test
  void theTrackSearchesReportTheirBestPairWithThatScore() {
    Grooves grooves = new Grooves(C, 20, 41);
    Snapshot snap = grooves.snapshot(60, 3, 0.3);
    QueryService exact = new QueryService(snap, null);
    QueryService viaIvf = new QueryService(snap, new IvfIndex(snap.vectors(), new IvfIndex.Params(8, 2, 64, 1)));
    Similarity sim = new Similarity(C, Metric.COSINE, TempoAlignment.DEFAULT);
    SplittableRandom rnd = new SplittableRandom(12);
    for (int i = 0; i < 5; i++) {
      int g = rnd.nextInt(grooves.size());
      double phi = 0.88 + 0.24 * rnd.nextDouble();
      List<ExcerptVector> xs = new ArrayList<>();
      for (int e = 0; e < 3; e++) {
        xs.add(new ExcerptVector(10 * e, grooves.excerpt(g, phi, 0.3), grooves.tempo(g) * phi));
      }
      TrackFeatures q = new TrackFeatures("q", C, 30, 10, xs, List.of());
      for (QueryService s : List.of(exact, viaIvf)) {
        QueryOptions o = QueryOptions.defaults().withSearch(s == exact ? QueryOptions.Search.EXACT
            : QueryOptions.Search.APPROXIMATE);
        QueryResult r;
        try {
          r = s.query(q, null, o);
        } catch (QueryException e) {
          throw new AssertionError(e);
        }
        for (QueryResult.Match m : r.matches()) {
          ExcerptVector qx = xs.get((int) (m.bestPair().queryStartSeconds() / 10));
          int row = rowOf(snap, m.track().id(), m.bestPair().matchStartSeconds());
          double pair = sim.pair(qx.vector(), qx.tempoBpm(), snap.vectors().row(row), snap.excerptTempo()[row]).score();
          assertThat(m.bestPair().similarity()).as("%s, %s", r.search(), m.track().path()).isCloseTo(pair, within(1e-6));
        }
      }
    }
  }

  private static int rowOf(Snapshot snap, long trackId, double start) {
    for (int r = 0; r < snap.excerptTrack().length; r++) {
      if (snap.tracks().get(snap.excerptTrack()[r]).id() == trackId && snap.excerptStart()[r] == start) {
        return r;
      }
    }
    throw new AssertionError("no row of track " + trackId + " at " + start);
  }
}
