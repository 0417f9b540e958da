package org.rhythmsearch.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The tuner's choice reaches its recall target on data it did not see. */
class LshTunerTest {

  @Test
  void theChosenSettingReachesTheTargetOnFreshQueries() {
    VectorMatrix m = LshIndexTest.clustered(6000, 48, 60, 11);
    LshTuner.Choice c = LshTuner.tune(m, 10, 0.9, 5, 3000, 60);
    assertThat(c.targetReached()).as("%s", c).isTrue();
    assertThat(c.recall()).isGreaterThanOrEqualTo(0.9);
    assertThat(c.candidatesPerQuery()).as("cheaper than brute force").isLessThan(3000);
    // the same setting on the full data, other queries: recall stays near the target
    LshIndex lsh = new LshIndex(m, c.params());
    ExactIndex exact = new ExactIndex(m);
    SplittableRandom rnd = new SplittableRandom(99);
    double recall = 0;
    for (int q = 0; q < 100; q++) {
      float[] query = m.row(rnd.nextInt(m.rows()));
      for (int j = 0; j < query.length; j++) {
        query[j] += 0.05f * (float) rnd.nextGaussian();
      }
      Set<Integer> truth = new HashSet<>();
      exact.search(query, 10, Metric.COSINE, null).forEach(n -> truth.add(n.id()));
      recall += lsh.search(query, 10, Metric.COSINE).neighbors().stream().filter(n -> truth.contains(n.id())).count() / 10.0;
    }
    assertThat(recall / 100).isGreaterThanOrEqualTo(0.85);
  }

  @Test
  void badTargetsAreRefused() {
    VectorMatrix m = LshIndexTest.clustered(100, 8, 3, 1);
    assertThatThrownBy(() -> LshTuner.tune(m, 5, 1.5, 1, 100, 10)).hasMessageContaining("targetRecall=1.5");
    assertThatThrownBy(() -> LshTuner.tune(new VectorMatrix(new float[0], 8), 5, 0.9, 1, 100, 10))
        .hasMessageContaining("empty");
    assertThatThrownBy(() -> LshTuner.tune(new VectorMatrix(new float[8], 8), 5, 0.9, 1, 100, 10))
        .hasMessageContaining("too few");
  }
}
