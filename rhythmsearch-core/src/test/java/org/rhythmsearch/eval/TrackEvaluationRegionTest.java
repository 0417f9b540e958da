package org.rhythmsearch.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The part of a song a query was made from: its grid excerpts within the query's span. */
class TrackEvaluationRegionTest {

  @Test
  void theRegionHoldsTheGridExcerptsWithinTheQuerysSpan() {
    // grid excerpts start at 5, 15, 25, 35, 45, 55 s
    Song song = new Song("s", List.of(new float[1], new float[1], new float[1],
        new float[1], new float[1], new float[1]), List.of(100.0, 110.0, 120.0, 130.0, 140.0, 150.0), 70);
    assertThat(TrackEvaluation.region(song, 30, 40)).containsExactly(130.0, 140.0, 150.0); // 35-45, 45-55, 55-65 s
    assertThat(TrackEvaluation.region(song, 30, 34)).containsExactly(130.0, 140.0); // 55-65 s ends after 64 s
    assertThat(TrackEvaluation.region(song, 0, 15)).containsExactly(100.0); // 5-15 s
    assertThat(TrackEvaluation.region(song, Double.NaN, 40)).isEmpty();
    assertThat(TrackEvaluation.foldedRatio(TrackEvaluation.median(List.of(123.2)),
        TrackEvaluation.median(TrackEvaluation.region(song, 30, 40)))).isCloseTo(123.2 / 140, org.assertj.core.data.Offset.offset(1e-12));
  }
}
