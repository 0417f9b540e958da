package org.rhythmsearch.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rhythmsearch.features.ExcerptVector;
import org.rhythmsearch.features.FeatureConfig;
import org.rhythmsearch.features.FeatureConfigs;
import org.rhythmsearch.features.TrackFeatures;
import org.rhythmsearch.index.Metric;
import org.rhythmsearch.index.VectorMatrix;
import org.rhythmsearch.store.Snapshot;
import org.rhythmsearch.store.TrackRecord;

/** The three aggregation rules on a hand-made index whose answers are worked out by hand. */
class TrackSearchTest {

  /** Unit vector at angle theta in the first two dimensions of the default feature's space. */
  static float[] at(double theta) {
    float[] v = new float[FeatureConfigs.DEFAULT.dimension()];
    v[0] = (float) Math.cos(theta);
    v[1] = (float) Math.sin(theta);
    return v;
  }

  @Test
  void maxMeanAndVoteRankAsDefined() {
    FeatureConfig c = FeatureConfigs.DEFAULT;
    int dim = c.dimension();
    // track A: one excerpt identical to query excerpt 1 (cos 1), nothing near query excerpt 2
    // track B: excerpts at 0.3 rad from both query excerpts (cos 0.955 each)
    float[][] rows = {at(0.0), at(2.0), at(0.3), at(1.0 + 0.3)};
    int[] owner = {0, 0, 1, 1};
    float[] data = new float[rows.length * dim];
    for (int r = 0; r < rows.length; r++) {
      System.arraycopy(rows[r], 0, data, r * dim, dim);
    }
    List<TrackRecord> tracks = List.of(new TrackRecord(1, "/A", 0, 0, "a", 20, 2, null),
        new TrackRecord(2, "/B", 0, 0, "b", 20, 2, null));
    TrackSearch search = new TrackSearch(new Snapshot(c, tracks, new VectorMatrix(data, dim), owner, new float[] {0, 10, 0, 10}));
    TrackFeatures q = new TrackFeatures("q", c, 20, 10, List.of(new ExcerptVector(0, at(0.0)), new ExcerptVector(10, at(1.0))), List.of());
    // max: A has a perfect pair (1.0) > B's 0.955
    assertThat(search.query(q, null, 2, Metric.COSINE, Aggregation.MAX)).extracting(h -> h.track().path()).containsExactly("/A", "/B");
    // mean: A = (1 + cos(1.0)) / 2 = 0.770; B = (cos 0.3 + cos 0.3) / 2 = 0.955
    List<TrackSearch.Hit> mean = search.query(q, null, 2, Metric.COSINE, Aggregation.MEAN);
    assertThat(mean).extracting(h -> h.track().path()).containsExactly("/B", "/A");
    assertThat(mean.get(1).score()).isCloseTo((1 + Math.cos(1.0)) / 2, org.assertj.core.api.Assertions.within(1e-5));
    // vote: excerpt 1 -> A (exact), excerpt 2 -> B (0.3 away vs A's 1.0 away): 1 vote each, tie broken by max -> A
    List<TrackSearch.Hit> vote = search.query(q, null, 2, Metric.COSINE, Aggregation.VOTE);
    assertThat(vote).extracting(h -> h.track().path()).containsExactly("/A", "/B");
    assertThat(vote).extracting(TrackSearch.Hit::score).containsExactly(1.0, 1.0);
    // excluding a hash removes the track; excluding rows removes excerpts
    assertThat(search.query(q, "a", 2, Metric.COSINE, Aggregation.MAX)).extracting(h -> h.track().path()).containsExactly("/B");
    assertThat(search.query(q, null, r -> r == 0, 2, Metric.COSINE, Aggregation.MAX)).extracting(h -> h.track().path())
        .containsExactly("/B", "/A");
  }
}
