package org.rhythmsearch.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.rhythmsearch.index.VectorMatrix;

/** The benchmark's data models and query split. */
class IndexBenchmarkTest {

  private static float dot(float[] a, float[] b) {
    float s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  @Test
  void withinSongNoiseVanishesWhenEverySongIsConstantAndIsSeeded() {
    // two songs whose excerpts are identical: every within-song difference is zero
    float[] data = {3, 4, 0, 3, 4, 0, 0, 0, 2, 0, 0, 2};
    VectorMatrix real = new VectorMatrix(data, 3);
    int[] song = {0, 0, 1, 1};
    VectorMatrix synth = IndexBenchmark.withinSong(real, song, 200, 1.0, 9);
    for (int r = 0; r < synth.rows(); r++) {
      float[] v = synth.row(r);
      boolean first = Math.abs(v[0] - 0.6f) < 1e-6 && Math.abs(v[1] - 0.8f) < 1e-6 && v[2] == 0;
      boolean second = v[0] == 0 && v[1] == 0 && Math.abs(v[2] - 1f) < 1e-6;
      assertThat(first || second).as("row %d is a normalised centre", r).isTrue();
    }
    assertThat(IndexBenchmark.withinSong(real, song, 50, 1.0, 9).row(7)).isEqualTo(synth.row(7));
  }

  @Test
  void withinSongNoiseScalesWithSpreadAndOutputIsUnitNorm() {
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(4);
    int dim = 16;
    float[] data = new float[40 * dim];
    for (int i = 0; i < data.length; i++) {
      data[i] = 5 + (float) rnd.nextGaussian();
    }
    int[] song = new int[40];
    for (int r = 0; r < 40; r++) {
      song[r] = r / 10;
    }
    VectorMatrix real = new VectorMatrix(data, dim);
    double cosineSum = 0;
    VectorMatrix small = IndexBenchmark.withinSong(real, song, 300, 0.1, 1);
    VectorMatrix large = IndexBenchmark.withinSong(real, song, 300, 2.0, 1); // same seed: same centres, same draws
    for (int r = 0; r < 300; r++) {
      assertThat(dot(small.row(r), small.row(r))).isCloseTo(1f, offset(1e-5f));
      assertThat(dot(large.row(r), large.row(r))).isCloseTo(1f, offset(1e-5f));
      cosineSum += dot(small.row(r), large.row(r));
    }
    // the larger spread moves vectors away from where the small one leaves them
    assertThat(cosineSum / 300).isLessThan(0.999);
    int[] everyRowItsOwnSong = java.util.stream.IntStream.range(0, 40).toArray();
    assertThatThrownBy(() -> IndexBenchmark.withinSong(real, everyRowItsOwnSong, 5, 1, 1)).hasMessageContaining("two excerpts");
  }

  @Test
  void holdOutSplitsTheRowsWithoutOverlap() {
    float[] data = new float[50 * 2];
    for (int r = 0; r < 50; r++) {
      data[2 * r] = 1;
      data[2 * r + 1] = r; // row r is identified by its direction
    }
    VectorMatrix[] split = IndexBenchmark.holdOut(new VectorMatrix(data, 2), 7, 3);
    assertThat(split[0].rows()).isEqualTo(43);
    assertThat(split[1].rows()).isEqualTo(7);
    Set<Integer> seen = new HashSet<>();
    for (VectorMatrix m : split) {
      for (int r = 0; r < m.rows(); r++) {
        float[] v = m.row(r);
        assertThat(seen.add(Math.round(v[1] / v[0]))).isTrue();
      }
    }
    assertThat(seen).hasSize(50);
    assertThatThrownBy(() -> IndexBenchmark.holdOut(new VectorMatrix(data, 2), 50, 3)).hasMessageContaining("queries=50");
  }

  @Test
  void theFastestPointAtARecallLevelIgnoresFasterPointsBelowIt() {
    var curve = java.util.List.of(new IndexBenchmark.Point(4, 0, 0.70, 900, 0, 0),
        new IndexBenchmark.Point(8, 0, 0.91, 500, 0, 0), new IndexBenchmark.Point(16, 0, 0.96, 300, 0, 0),
        new IndexBenchmark.Point(16, 500, 0.95, 450, 0, 0));
    assertThat(IndexBenchmark.fastestAtRecall(curve, IndexBenchmark.Point::recallAt10, IndexBenchmark.Point::qps, 0.95))
        .isEqualTo(curve.get(3));
    assertThat(IndexBenchmark.fastestAtRecall(curve, IndexBenchmark.Point::recallAt10, IndexBenchmark.Point::qps, 0.80))
        .isEqualTo(curve.get(1));
    assertThat(IndexBenchmark.fastestAtRecall(curve, IndexBenchmark.Point::recallAt10, IndexBenchmark.Point::qps, 0.99))
        .isNull();
  }
}
