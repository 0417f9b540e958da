package org.rhythmsearch.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rhythmsearch.features.FeatureConfigs;
import org.rhythmsearch.index.Metric;
import org.rhythmsearch.testing.Corpus;
import org.rhythmsearch.testing.Signals;

/** The seed protocol on a generated corpus where the right answer is known. */
class SeedEvaluationTest {

  @TempDir Path tmp;

  @Test
  void distinctTempiAreRetrievedPerfectly() throws Exception {
    List<Path> songs = new ArrayList<>(Corpus.songs(tmp, 46));
    Path shortSong = tmp.resolve("short.wav");
    Signals.writeWav16(shortSong, 22050, Signals.clickTrack(100, 30, 22050, 0, 9)); // < 35 s: skipped
    songs.add(shortSong);
    SeedEvaluation.Result r = new SeedEvaluation(FeatureConfigs.DEFAULT, 2, Metric.COSINE, 2).withLshTrials(3)
        .run(songs, p -> { });
    assertThat(r.songs()).isEqualTo(Corpus.TEMPI.length);
    assertThat(r.skippedSongs()).containsExactly(shortSong.toString());
    // LSH side by side: every answer complete, precision as exact in every trial, recall of exact top-k
    assertThat(r.lsh().trials()).isEqualTo(3);
    assertThat(r.lsh().emptyResults()).isZero();
    assertThat(r.lsh().precisionMin()).isEqualTo(1.0);
    assertThat(r.lsh().recallMin()).isEqualTo(1.0);
    assertThat(r.lsh().seedBucketRecall()).isBetween(0.0, 1.0);
    assertThat(r.queries()).isEqualTo(Corpus.TEMPI.length);
    assertThat(r.precisionAtK()).isEqualTo(1.0);
    assertThat(r.looPrecisionAt1()).isEqualTo(1.0);
    assertThat(r.looExcerpts()).isEqualTo(Corpus.TEMPI.length * 4 + 2); // 5,15,25,35 s per song; 5,15 s of the short one
    assertThat(r.meanQueryMicros()).isPositive();
  }

  @Test
  void undecodableFilesAreCountedNotFatal() throws Exception {
    List<Path> songs = new ArrayList<>(Corpus.songs(tmp, 40));
    Path junk = java.nio.file.Files.writeString(tmp.resolve("junk.mp3"), "not audio");
    songs.add(junk);
    SeedEvaluation.Result r = new SeedEvaluation(FeatureConfigs.DEFAULT, 2, Metric.COSINE, 1).run(songs, p -> { });
    assertThat(r.failedFiles()).hasSize(1).first().asString().startsWith(junk.toString());
    assertThat(r.songs()).isEqualTo(Corpus.TEMPI.length);
  }
}
