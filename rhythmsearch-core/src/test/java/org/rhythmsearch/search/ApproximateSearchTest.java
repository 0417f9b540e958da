package org.rhythmsearch.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
import org.rhythmsearch.index.RowFilter;
import org.rhythmsearch.store.Snapshot;
import org.rhythmsearch.testing.Grooves;

/** Tempo-robust approximate search against exact aligned search, on grooves played at many tempi. */
class ApproximateSearchTest {

  private static final FeatureConfig C = FeatureConfigs.ONSET_BEAT_8;
  private static final Similarity ALIGNED = new Similarity(C, Metric.COSINE, TempoAlignment.DEFAULT);

  @Test
  void aBandHoldsEveryRowWhoseStepLiesInIt() {
    SplittableRandom rnd = new SplittableRandom(7);
    int steps = 20;
    for (int i = 0; i < 200_000; i++) {
      double q = 40 + 200 * rnd.nextDouble();
      double r = 40 + 200 * rnd.nextDouble();
      int k = TempoAlignment.step(q, (float) r, steps);
      if (k == 0) {
        continue;
      }
      int lo = k > 0 ? 1 + (k - 1) / 4 * 4 : -(1 + (-k - 1) / 4 * 4) - 3;
      boolean[] band = ApproximateSearch.band(q, lo, lo + 3);
      assertThat(band[ApproximateSearch.bin((float) r)]).as("query %.3f, row %.3f, step %d, band [%d, %d]", q, r, k, lo,
          lo + 3).isTrue();
    }
    assertThat(ApproximateSearch.bin(Double.NaN)).isEqualTo(ApproximateSearch.UNKNOWN);
    assertThat(ApproximateSearch.bin(120)).isEqualTo(ApproximateSearch.bin(240)).as("octaves share a bin");
  }

  @Test
  void candidatesHonourTheFilterAndNeverComeBackEmptyWithout() {
    Snapshot snap = new Grooves(C, 30, 3).snapshot(120, 5, 0.3);
    short[] labels = new short[snap.vectors().rows()];
    for (int r = 0; r < labels.length; r++) {
      labels[r] = (short) (r % 7);
    }
    boolean[] accepted = new boolean[7];
    accepted[2] = true;
    RowFilter filter = new RowFilter(labels, accepted);
    for (ApproximateIndex ann : List.of(new IvfIndex(snap.vectors(), IvfIndex.Params.forSize(600, 5)),
        new LshIndex(snap.vectors(), LshIndex.Params.forSize(600, 5)))) {
      for (int q = 0; q < 20; q++) {
        float[] v = snap.vectors().row(q * 29);
        int[] some = ann.candidates(v, 50, filter);
        assertThat(some).as(ann.describe()).hasSizeLessThanOrEqualTo(50).isNotEmpty();
        assertThat(java.util.Arrays.stream(some).boxed().toList()).as(ann.describe()).allMatch(r -> r % 7 == 2);
        assertThat(ann.candidates(v, 50, null)).as(ann.describe()).hasSize(50).doesNotHaveDuplicates();
      }
    }
  }

  @Test
  void everyCandidateScoresWhatExactSearchGivesIt() {
    Snapshot snap = new Grooves(C, 40, 11).snapshot(160, 4, 0.3);
    ExactIndex exact = new ExactIndex(snap.vectors());
    ApproximateSearch ivf = new ApproximateSearch(new IvfIndex(snap.vectors(), new IvfIndex.Params(25, 3, 64, 9)),
        exact, snap.excerptTempo());
    Grooves queries = new Grooves(C, 40, 11); // the same grooves, played at other tempi
    SplittableRandom rnd = new SplittableRandom(5);
    for (int i = 0; i < 30; i++) {
      int g = rnd.nextInt(40);
      double phi = 0.85 + 0.3 * rnd.nextDouble();
      float[] q = queries.excerpt(g, phi, 0.3);
      double tempo = queries.tempo(g) * phi;
      float[] all = ALIGNED.all(exact, q, tempo, snap.excerptTempo());
      ApproximateSearch.Scored c = ivf.score(q, tempo, ALIGNED);
      for (int j = 0; j < c.rows().length; j++) {
        assertThat((double) c.scores()[j]).as("row %d", c.rows()[j]).isCloseTo(all[c.rows()[j]], within(1e-6));
      }
    }
  }

  @Test
  void theTempoBandsFindStretchedGroovesThatThePlainQueryMisses() {
    Grooves grooves = new Grooves(C, 300, 21);
    Snapshot snap = grooves.snapshot(1200, 3, 0.3);
    ExactIndex exact = new ExactIndex(snap.vectors());
    IvfIndex ivf = new IvfIndex(snap.vectors(), new IvfIndex.Params(60, 4, 64, 3));
    ApproximateSearch banded = new ApproximateSearch(ivf, exact, snap.excerptTempo());
    SplittableRandom rnd = new SplittableRandom(17);
    int queries = 100;
    int bandedHits = 0;
    int plainHits = 0;
    for (int i = 0; i < queries; i++) {
      int g = rnd.nextInt(grooves.size());
      double phi = Math.exp((2 * rnd.nextDouble() - 1) * Math.log(1.18));
      float[] q = grooves.excerpt(g, phi, 0.3);
      double tempo = grooves.tempo(g) * phi;
      Set<Integer> truth = top(ALIGNED.all(exact, q, tempo, snap.excerptTempo()), null, 10);
      ApproximateSearch.Scored c = banded.score(q, tempo, ALIGNED);
      bandedHits += overlap(top(c.scores(), c.rows(), 10), truth);
      int[] plainRows = ivf.candidates(q, ApproximateSearch.PLAIN_CANDIDATES, null);
      plainHits += overlap(top(ALIGNED.ofRows(exact, q, tempo, snap.excerptTempo(), plainRows), plainRows, 10), truth);
    }
    double recall = bandedHits / (queries * 10.0);
    double plainRecall = plainHits / (queries * 10.0);
    assertThat(recall).as("recall@10 against exact aligned search (plain probe only: %.3f)", plainRecall)
        .isGreaterThanOrEqualTo(0.95);
    assertThat(plainRecall).as("the plain probe alone misses aligned matches").isLessThan(recall - 0.05);
  }

  @Test
  void trackSearchThroughAnApproximateIndexListsExactScores() {
    Grooves grooves = new Grooves(C, 60, 23);
    Snapshot snap = grooves.snapshot(400, 4, 0.3);
    TrackSearch exact = new TrackSearch(snap);
    TrackSearch viaIvf = new TrackSearch(snap, new IvfIndex(snap.vectors(), new IvfIndex.Params(40, 4, 64, 1)));
    SplittableRandom rnd = new SplittableRandom(29);
    int same = 0;
    for (int i = 0; i < 20; i++) {
      int g = rnd.nextInt(grooves.size());
      double phi = 0.85 + 0.3 * rnd.nextDouble();
      List<ExcerptVector> xs = new ArrayList<>();
      for (int e = 0; e < 3; e++) {
        xs.add(new ExcerptVector(10 * e, grooves.excerpt(g, phi, 0.3), grooves.tempo(g) * phi));
      }
      TrackFeatures q = new TrackFeatures("q" + i, C, 30, 10, xs, List.of());
      List<TrackSearch.Hit> a = viaIvf.query(q, null, null, 10, Metric.COSINE, Aggregation.MEAN, 0, TempoAlignment.DEFAULT);
      List<TrackSearch.Hit> e = exact.query(q, null, null, 10, Metric.COSINE, Aggregation.MEAN, 0, TempoAlignment.DEFAULT);
      java.util.Map<Long, Double> exactScore = new java.util.HashMap<>();
      for (TrackSearch.Hit h : exact.query(q, null, null, 400, Metric.COSINE, Aggregation.MEAN, 0,
          TempoAlignment.DEFAULT)) {
        exactScore.put(h.track().id(), h.score());
      }
      for (TrackSearch.Hit h : a) {
        assertThat(h.score()).as("listed score of track %d", h.track().id()).isCloseTo(exactScore.get(h.track().id()),
            within(1e-6));
      }
      same += a.get(0).track().id() == e.get(0).track().id() ? 1 : 0;
    }
    assertThat(same).as("top-1 equal to exact aligned search's").isGreaterThanOrEqualTo(19);
  }

  private static Set<Integer> top(float[] scores, int[] ids, int k) {
    Set<Integer> out = new HashSet<>();
    for (var n : ExactIndex.topK(scores, k, null)) {
      out.add(ids == null ? n.id() : ids[n.id()]);
    }
    return out;
  }

  private static int overlap(Set<Integer> a, Set<Integer> b) {
    int n = 0;
    for (int x : a) {
      n += b.contains(x) ? 1 : 0;
    }
    return n;
  }

  @Test
  void halfOfALongQueryProbesSpreadOverIt() {
    assertThat(TrackSearch.probingExcerpts(1)).isEqualTo(TrackSearch.PROBING_MIN);
    assertThat(TrackSearch.probingExcerpts(6)).isEqualTo(4);
    assertThat(TrackSearch.probingExcerpts(18)).isEqualTo(9);
    java.util.List<Integer> xs = java.util.stream.IntStream.range(0, 18).boxed().toList();
    assertThat(TrackSearch.spread(xs, 9)).containsExactly(1, 3, 5, 7, 9, 11, 13, 15, 17);
    assertThat(TrackSearch.spread(xs, 4)).containsExactly(2, 6, 11, 15);
    assertThat(TrackSearch.spread(xs.subList(0, 3), 4)).containsExactly(0, 1, 2);
  }

  @Test
  void atMostSoManyProbingExcerptsProbeTheTempoBandsSpreadOverThem() {
    assertThat(TrackSearch.bandExcerpts(10, 4)).containsExactly(false, true, false, true, false, false, true, false,
        true, false);
    assertThat(TrackSearch.bandExcerpts(3, 4)).containsExactly(true, true, true);
    assertThat(TrackSearch.bandExcerpts(5, Integer.MAX_VALUE)).containsOnly(true);
  }
}
