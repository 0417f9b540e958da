package org.rhythmsearch.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rhythmsearch.features.FeatureConfigs;
import org.rhythmsearch.features.FeatureExtractor;
import org.rhythmsearch.features.TrackFeatures;
import org.rhythmsearch.index.Metric;
import org.rhythmsearch.store.SqliteStore;
import org.rhythmsearch.testing.Corpus;
import org.rhythmsearch.testing.Signals;

/** The one query path: by audio file, by stored track and by vectors give the same answers. */
class QueryServiceTest {

  @TempDir static Path tmp;
  static List<Path> songs;
  static QueryService service;

  @BeforeAll
  static void index() throws Exception {
    songs = Corpus.songs(tmp.resolve("songs"), 25);
    try (SqliteStore store = SqliteStore.open(tmp.resolve("i.db"), FeatureConfigs.DEFAULT)) {
      new Indexer(store, 2, 4, null).index(songs, null);
      assertThat(Indexer.buildAnn(store, org.rhythmsearch.index.ApproximateIndex.Kind.LSH, 0)).isPresent();
      service = QueryService.load(store, true);
    }
  }

  @Test
  void aStoredTrackAnswersExactlyLikeItsAudioFile() throws Exception {
    for (int i : new int[] {0, 3, 5}) {
      QueryResult byFile = service.query(songs.get(i), QueryOptions.defaults());
      QueryResult byTrack = service.queryTrack(Indexer.key(songs.get(i)), QueryOptions.defaults());
      assertThat(byTrack.matches()).usingRecursiveFieldByFieldElementComparator().isEqualTo(byFile.matches());
      assertThat(byTrack.matches()).extracting(m -> m.track().path()).doesNotContain(Indexer.key(songs.get(i)))
          .hasSize(songs.size() - 1);
      // stored tempi are float32: equal to the file's to float precision
      assertThat(byTrack.queryExcerpts()).hasSameSizeAs(byFile.queryExcerpts());
      for (int x = 0; x < byFile.queryExcerpts().size(); x++) {
        assertThat(byTrack.queryExcerpts().get(x).startSeconds()).isEqualTo(byFile.queryExcerpts().get(x).startSeconds());
        assertThat(byTrack.queryExcerpts().get(x).tempoBpm())
            .isEqualTo((float) byFile.queryExcerpts().get(x).tempoBpm(), org.assertj.core.data.Offset.offset(0.0));
      }
      long id = service.track(Indexer.key(songs.get(i))).orElseThrow().id();
      assertThat(service.queryTrack(Long.toString(id), QueryOptions.defaults()).matches())
          .usingRecursiveFieldByFieldElementComparator().isEqualTo(byFile.matches());
    }
  }

  @Test
  void matchesCarryRankTempoAndTheBestExcerptPair() throws Exception {
    Path q = tmp.resolve("query.wav");
    Signals.writeWav16(q, 22050, Signals.clickTrack(Corpus.TEMPI[2], 31, 22050, 0.5, 4242));
    QueryResult r = service.query(q, new QueryOptions(3, Aggregation.MAX, Metric.COSINE, false, 0, TempoAlignment.DEFAULT));
    assertThat(r.matches()).extracting(QueryResult.Match::rank).containsExactly(1, 2, 3);
    QueryResult.Match best = r.matches().get(0);
    assertThat(best.track().path()).isEqualTo(Indexer.key(songs.get(2)));
    assertThat(best.score()).as("max aggregation: the score is the best pair's").isEqualTo(best.bestPair().similarity());
    assertThat(r.queryExcerpts()).hasSize(3).extracting(QueryResult.QueryExcerpt::startSeconds).containsExactly(0.0, 10.0, 20.0);
    assertThat(r.queryTempoBpm()).isCloseTo(Corpus.TEMPI[2], org.assertj.core.data.Percentage.withPercentage(2));
    assertThat(best.tempoBpm()).isCloseTo(Corpus.TEMPI[2], org.assertj.core.data.Percentage.withPercentage(2));
    assertThat(r.tracksIndexed()).isEqualTo(songs.size());
    assertThat(r.search()).isEqualTo("exact");
  }

  @Test
  void theLshPathAgreesWithTheCandidatesItScoresAndVectorsQueryLikeFiles() throws Exception {
    TrackFeatures f = new FeatureExtractor(FeatureConfigs.DEFAULT).track(songs.get(5), 10);
    QueryOptions lsh = new QueryOptions(10, Aggregation.MEAN, Metric.COSINE, true, 0, TempoAlignment.OFF);
    QueryResult viaLsh = service.query(f, null, lsh);
    assertThat(viaLsh.search()).startsWith("lsh ");
    // every LSH match's score is its exact score over the excerpts LSH returned: never above exact's
    QueryResult exact = service.query(f, null, new QueryOptions(10, Aggregation.MEAN, Metric.COSINE, false, 0, TempoAlignment.OFF));
    assertThat(viaLsh.matches().get(0).track().path()).isEqualTo(Indexer.key(songs.get(5)));
    assertThat(viaLsh.matches().get(0).score()).isEqualTo(exact.matches().get(0).score());
    for (QueryResult.Match m : viaLsh.matches()) {
      double exactScore = exact.matches().stream().filter(e -> e.track().id() == m.track().id())
          .mapToDouble(QueryResult.Match::score).findFirst().orElse(Double.POSITIVE_INFINITY);
      assertThat(m.score()).isLessThanOrEqualTo(exactScore + 1e-6);
    }
    // vectors with the file's hash answer exactly like the file
    assertThat(service.query(f, FileHash.sha256(songs.get(5)), QueryOptions.defaults()).matches())
        .usingRecursiveFieldByFieldElementComparator()
        .isEqualTo(service.query(songs.get(5), QueryOptions.defaults()).matches());
  }

  @Test
  void unknownTracksAndMissingLshAreOneLineErrors() throws Exception {
    assertThatThrownBy(() -> service.queryTrack("/no/such.ogg", QueryOptions.defaults()))
        .isInstanceOf(QueryException.class).hasMessage("/no/such.ogg: no such track in the index (give its path as "
            + "indexed, or its id)");
    QueryService noLsh = new QueryService(service.snapshot(), null);
    assertThatThrownBy(() -> noLsh.queryTrack(Indexer.key(songs.get(0)), new QueryOptions(10, Aggregation.MEAN, Metric.COSINE, true, 0, TempoAlignment.DEFAULT)))
        .isInstanceOf(QueryException.class).hasMessageContaining("approximate search asked for");
    assertThat(service.hasApproximate()).isTrue();
    assertThat(noLsh.hasApproximate()).isFalse();
  }

  @Test
  void theScoreScaleHoldsEveryTrackPairAndPlacesAScoreByMidRank() throws Exception {
    ScoreScale scale = ScoreScale.sample(service, QueryOptions.defaults(), 1000, 7);
    int n = songs.size();
    assertThat(scale.queries()).isEqualTo(n);
    assertThat(scale.pairs()).isEqualTo(n * (n - 1)); // each track against all the others
    assertThat(scale.aggregation()).isEqualTo("mean");
    // the oracle: the same pairs from queryTrack, counted directly
    List<Double> pairs = new java.util.ArrayList<>();
    QueryOptions all = new QueryOptions(n, Aggregation.MEAN, Metric.COSINE, false, 0, TempoAlignment.DEFAULT);
    for (var t : service.snapshot().tracks()) {
      service.queryTrack(t.path(), all).matches().forEach(m -> pairs.add(m.score()));
    }
    for (double s : new double[] {pairs.get(0), pairs.get(7), -1, 2, 0.5}) {
      double below = pairs.stream().filter(x -> x < s).count();
      double same = pairs.stream().filter(x -> x == s).count();
      assertThat(scale.percentile(s)).isEqualTo((below + same / 2) / pairs.size());
    }
    assertThat(scale.percentile(-1)).isZero();
    assertThat(scale.words(2)).isEqualTo("very close: closer than every track pair sampled in this collection");
    assertThat(scale.words(-1)).isEqualTo("not alike: less close than 100 % of the track pairs in this collection");
    // a sample of fewer tracks holds fewer pairs; the same seed draws the same tracks
    ScoreScale some = ScoreScale.sample(service, QueryOptions.defaults(), 3, 7);
    assertThat(some.pairs()).isEqualTo(3 * (n - 1));
    assertThat(ScoreScale.sample(service, QueryOptions.defaults(), 3, 7).percentile(0.5)).isEqualTo(some.percentile(0.5));
    assertThat(ScoreScale.sample(service, QueryOptions.defaults(), 0, 7).words(0.5)).isNull();
  }
}
