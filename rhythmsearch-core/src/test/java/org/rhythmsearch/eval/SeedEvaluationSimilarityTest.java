package org.rhythmsearch.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.rhythmsearch.features.FeatureConfig;
import org.rhythmsearch.features.FeatureConfigs;
import org.rhythmsearch.index.Metric;
import org.rhythmsearch.search.Similarity;
import org.rhythmsearch.search.TempoAlignment;
import org.rhythmsearch.testing.Grooves;

/**
 * Issue 24: the evaluation scores excerpts by the one {@link Similarity} — its P@k is the one a brute
 * force over {@link Similarity#pair} gives — and its LSH and IVF trials, which search as {@code query
 * --search approximate} does, give exact search's P@k in every trial when their candidates cover the
 * small database.
 */
class SeedEvaluationSimilarityTest {

  private static final FeatureConfig C = FeatureConfigs.ONSET_BEAT_8;

  @Test
  void precisionIsTheBruteForceOfThePairScoreAndTheApproximateTrialsMatchIt() {
    Grooves grooves = new Grooves(C, 24, 5);
    SplittableRandom rnd = new SplittableRandom(9);
    List<Song> songs = new ArrayList<>();
    for (int s = 0; s < 24; s++) { // each song plays its groove at one tempo; its excerpts are noisy takes
      double phi = 0.85 + 0.3 * rnd.nextDouble();
      List<float[]> v = new ArrayList<>();
      List<Double> tempi = new ArrayList<>();
      for (int e = 0; e < 3; e++) {
        v.add(grooves.excerpt(s % 12, e == 0 ? phi * 1.08 : phi, 0.8)); // the query excerpt 8 % faster
        tempi.add(grooves.tempo(s % 12) * (e == 0 ? phi * 1.08 : phi));
      }
      songs.add(new Song("s" + s, v, tempi, 35));
    }
    for (TempoAlignment alignment : List.of(TempoAlignment.DEFAULT, TempoAlignment.OFF)) {
      Similarity sim = new Similarity(C, Metric.COSINE, alignment);
      int correct = 0;
      for (int q = 0; q < songs.size(); q++) { // brute force: every target excerpt scored as a pair
        Song qs = songs.get(q);
        List<int[]> targets = new ArrayList<>();
        List<Double> scores = new ArrayList<>();
        for (int s = 0; s < songs.size(); s++) {
          for (int e = 1; e <= 2; e++) {
            targets.add(new int[] {s, e});
            scores.add(sim.pair(qs.vectors().get(0), qs.tempi().get(0), songs.get(s).vectors().get(e),
                (float) (double) songs.get(s).tempi().get(e)).score());
          }
        }
        int[] order = IntStream.range(0, targets.size()).boxed()
            .sorted(Comparator.comparingDouble((Integer i) -> -scores.get(i)).thenComparingInt(i -> i))
            .mapToInt(Integer::intValue).toArray();
        for (int i = 0; i < 2; i++) {
          correct += targets.get(order[i])[0] == q ? 1 : 0;
        }
      }
      SeedEvaluation.Result r = new SeedEvaluation(C, 2, Metric.COSINE, 1).withTempoAlignment(alignment)
          .withLshTrials(3).evaluate(songs, List.of(), 0);
      assertThat(r.precisionAtK()).as("alignment %s", alignment).isEqualTo(correct / (2.0 * songs.size()));
      for (double p : new double[] {r.lsh().precisionMin(), r.lsh().precisionMax(), r.ivf().precisionMin(),
          r.ivf().precisionMax()}) {
        assertThat(p).as("an approximate trial, alignment %s", alignment).isEqualTo(r.precisionAtK());
      }
      assertThat(r.lsh().recallMin()).isEqualTo(1.0);
      assertThat(r.ivf().recallMin()).isEqualTo(1.0);
    }
  }
}
