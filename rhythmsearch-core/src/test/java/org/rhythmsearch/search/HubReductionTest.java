package org.rhythmsearch.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.rhythmsearch.features.FeatureConfigs;
import org.rhythmsearch.index.ExactIndex;
import org.rhythmsearch.index.Metric;
import org.rhythmsearch.index.VectorMatrix;

class HubReductionTest {

  private static final Similarity PLAIN = new Similarity(FeatureConfigs.DEFAULT, Metric.COSINE, TempoAlignment.OFF);

  private static ExactIndex index(float[]... rows) {
    int dim = rows[0].length;
    float[] data = new float[rows.length * dim];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(rows[i], 0, data, i * dim, dim);
    }
    return new ExactIndex(new VectorMatrix(data, dim));
  }

  private static double cos(float[] a, float[] b) {
    double s = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
      na += a[i] * a[i];
      nb += b[i] * b[i];
    }
    return s / Math.sqrt(na * nb);
  }

  @Test
  void penaltiesAreHalfTheCentredMeanOfTheBestScoresAgainstOtherTracks() {
    float[][] rows = {{1, 0, 0}, {0.9f, 0.1f, 0}, {0, 1, 0}, {0.6f, 0.6f, 0.2f}, {0, 0.2f, 1}};
    int[] track = {0, 0, 1, 2, 3};
    int k = 2;
    float[] p = HubReduction.penalties(PLAIN, index(rows), new float[rows.length], track, k);
    // the definition, computed directly: mean of the k best cosines to rows of other tracks
    double[] r = new double[rows.length];
    for (int i = 0; i < rows.length; i++) {
      double[] other = new double[rows.length];
      int m = 0;
      for (int j = 0; j < rows.length; j++) {
        if (track[j] != track[i]) {
          other[m++] = cos(rows[i], rows[j]);
        }
      }
      double[] sorted = Arrays.copyOf(other, m);
      Arrays.sort(sorted);
      r[i] = (sorted[m - 1] + sorted[m - 2]) / 2;
    }
    double mean = Arrays.stream(r).average().orElseThrow();
    for (int i = 0; i < rows.length; i++) {
      assertThat(p[i]).as("row %d", i).isCloseTo((float) ((r[i] - mean) / 2), within(1e-6f));
    }
    // the row between everything (a hub) gets the largest penalty; penalties sum to 0 (centred)
    assertThat(p[3]).isEqualTo((float) Arrays.stream(toDouble(p)).max().orElseThrow());
    assertThat(Arrays.stream(toDouble(p)).sum()).isCloseTo(0, within(1e-6));
  }

  @Test
  void aHubStopsWinningOverTheQuerysOwnNeighbour() {
    // clusters around three directions; the hub sits between all of them, the target near the query's
    float[] target = {1, 0.2f, 0, 0};
    float[] hub = {0.7f, 0.5f, 0.5f, 0.5f};
    float[][] rows = {target, hub, {0.1f, 1, 0.1f, 0}, {0.1f, 0, 1, 0}, {0, 0.1f, 0, 1}, {0.2f, 1, 0.2f, 0.1f},
        {0, 0.2f, 1, 0.2f}, {0.1f, 0, 0.2f, 1}};
    int[] track = {0, 1, 2, 3, 4, 5, 6, 7};
    float[] query = {1, 0.35f, 0.35f, 0.35f};
    ExactIndex index = index(rows);
    float[] plain = PLAIN.all(index, query, Double.NaN, new float[rows.length]);
    assertThat(plain[1]).as("the hub is nearer the query than its own neighbour").isGreaterThan(plain[0]);
    float[] reduced = plain.clone();
    HubReduction.apply(reduced, HubReduction.penalties(PLAIN, index, new float[rows.length], track, 2));
    assertThat(reduced[0]).isGreaterThan(reduced[1]);
  }

  @Test
  void fewerRowsOfOtherTracksThanKAreAveragedAndALoneTrackGetsNoPenalty() {
    assertThat(HubReduction.meanOfLargest(new float[] {0.2f, 0.8f, 0.5f}, 3, 10)).isCloseTo(0.5, within(1e-6));
    assertThat(HubReduction.meanOfLargest(new float[] {0.2f, 0.8f, 0.5f}, 3, 2)).isCloseTo(0.65, within(1e-6));
    float[] p = HubReduction.penalties(PLAIN, index(new float[] {1, 0}, new float[] {0, 1}), new float[2], new int[2], 3);
    assertThat(p).containsExactly(0f, 0f);
  }

  @Test
  void applyLowersTheNamedRowsAndRefusesMismatchedLengths() {
    float[] s = {1, 1, 1};
    HubReduction.apply(s, new int[] {2, 0}, new float[] {0.1f, 0.2f, 0.3f});
    assertThat(s).containsExactly(0.7f, 0.9f, 1f); // scores[i] is row rows[i]
    assertThatThrownBy(() -> HubReduction.apply(new float[2], new float[3])).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2 scores but 3 penalties");
    assertThatThrownBy(() -> HubReduction.penalties(PLAIN, index(new float[] {1, 0}), new float[1], new int[1], 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static double[] toDouble(float[] f) {
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    return d;
  }
}
