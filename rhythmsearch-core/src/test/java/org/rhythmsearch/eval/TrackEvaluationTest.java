package org.rhythmsearch.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rhythmsearch.features.FeatureConfigs;
import org.rhythmsearch.index.Metric;
import org.rhythmsearch.search.Aggregation;
import org.rhythmsearch.testing.Corpus;
import org.rhythmsearch.testing.Signals;

/** Track-level evaluation on a generated corpus where the right answers are known. */
class TrackEvaluationTest {

  @TempDir Path tmp;

  @Test
  void heldOutPartsAndNewRecordingsFindTheirSongs() throws Exception {
    List<Path> songs = Corpus.songs(tmp.resolve("songs"), 56);
    TrackEvaluation ev = new TrackEvaluation(FeatureConfigs.DEFAULT, Metric.COSINE, 2);
    TrackEvaluation.Result held = ev.run(songs, null, p -> { });
    assertThat(held.queries()).isEqualTo(songs.size());
    for (Aggregation a : Aggregation.values()) {
      assertThat(held.byAggregation().get(a).recallAt1()).as(a.id()).isEqualTo(1.0);
    }
    List<TrackEvaluation.Pair> pairs = new ArrayList<>();
    for (int i = 0; i < songs.size(); i++) {
      Path q = tmp.resolve("q" + i + ".wav");
      Signals.writeWav16(q, 22050, Signals.clickTrack(Corpus.TEMPI[i], 26, 22050, i % 2 == 0 ? 0.5 : 0, 500 + i));
      pairs.add(new TrackEvaluation.Pair(q, songs.get(i)));
    }
    TrackEvaluation.Result byPairs = ev.run(songs, pairs, p -> { });
    assertThat(byPairs.queries()).isEqualTo(songs.size());
    assertThat(byPairs.byAggregation().get(Aggregation.MEAN).recallAt1()).isEqualTo(1.0);
    assertThat(byPairs.byAggregation().get(Aggregation.MEAN).meanRank()).isEqualTo(1.0);
    // the same groove at the same tempo: every query's tempo over its song's is 1 (octaves folded)
    assertThat(byPairs.tempoRatios()).hasSize(songs.size())
        .allSatisfy(r -> assertThat(r).isCloseTo(1.0, org.assertj.core.api.Assertions.within(0.01)));
    // a pair whose expected song is not in the collection is reported, not counted
    TrackEvaluation.Result missing = ev.run(songs.subList(1, songs.size()), pairs.subList(0, 1), p -> { });
    assertThat(missing.queries()).isZero();
    assertThat(missing.failures()).singleElement().asString().contains("is not in the collection");
  }

  @Test
  void tempoRatiosFoldOctaves() {
    assertThat(TrackEvaluation.foldedRatio(208, 100)).isCloseTo(1.04, org.assertj.core.api.Assertions.within(1e-12));
    assertThat(TrackEvaluation.foldedRatio(52, 100)).isCloseTo(1.04, org.assertj.core.api.Assertions.within(1e-12));
    assertThat(TrackEvaluation.foldedRatio(85, 100)).isCloseTo(0.85, org.assertj.core.api.Assertions.within(1e-12));
    assertThat(TrackEvaluation.foldedRatio(Double.NaN, 100)).isNaN();
    assertThat(TrackEvaluation.median(List.of(3.0, Double.NaN, 1.0, 2.0))).isEqualTo(2.0);
    assertThat(TrackEvaluation.median(List.of(Double.NaN))).isNaN();
  }
}
