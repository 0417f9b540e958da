package org.rhythmsearch.search;

import java.util.List;
import org.rhythmsearch.store.TrackRecord;

/**
 * The answer to one query, with everything a front end shows. Tempi are beats per minute, NaN when
 * unknown; times are seconds.
 *
 * <p>Immutable; thread-safe.
 *
 * @param query what was asked: the audio file, or the indexed track's path
 * @param feature the feature configuration's id
 * @param options how it was answered
 * @param search "exact", or the approximate index's parameters (LSH or IVF) when it answered
 * @param searchRecallAt10 recall@10 of exact search's tracks measured for the search that ran: 1 for
 *     exact search, the stored measurement for an approximate index ({@link AnnCheck}), NaN when it was
 *     not measured
 * @param searchMeasured why this search ran and what it measured, in one line
 * @param queryTempoBpm the query's tempo (median of its excerpts')
 * @param queryExcerpts the query's own excerpts
 * @param tracksIndexed tracks in the index
 * @param excerptsIndexed excerpts in the index
 * @param matches the best tracks, best first
 * @param extractSeconds time spent decoding and analysing the query (0 for a stored track or vectors)
 * @param searchMillis time spent searching
 * @param queryDamage what was wrong with the query file's stream (its audio ended early; its excerpts
 *     are those before the damage), or null
 * @param leftOut indexed tracks left out of the answer because they hold the query's own content (the
 *     query file is indexed, or the query is an indexed track)
 * @param clipSeconds the length of the clip the query's one excerpt was made of (repeated to fill it:
 *     {@link org.rhythmsearch.features.FeatureExtractor#clip}), NaN when the query has whole excerpts
 */
public record QueryResult(String query, String feature, QueryOptions options, String search, double searchRecallAt10,
    String searchMeasured, double queryTempoBpm, List<QueryExcerpt> queryExcerpts, int tracksIndexed,
    int excerptsIndexed, List<Match> matches, double extractSeconds, double searchMillis, String queryDamage,
    List<TrackRecord> leftOut, double clipSeconds) {

  public QueryResult {
    queryExcerpts = List.copyOf(queryExcerpts);
    matches = List.copyOf(matches);
    leftOut = List.copyOf(leftOut);
  }

  /** One excerpt of the query: where it starts and its tempo. */
  public record QueryExcerpt(double startSeconds, double tempoBpm) {}

  /**
   * One ranked track.
   *
   * @param rank 1 for the best
   * @param track the indexed track
   * @param score its score under the query's aggregation (votes for {@code vote})
   * @param tempoBpm the track's tempo (median of its excerpts')
   * @param bestPair the most similar pair of a query excerpt and one of the track's excerpts
   * @param samePaths other indexed paths holding the same content, merged into this match
   * @param name the track's shortest distinguishing name in the index ({@link TrackNames})
   */
  public record Match(int rank, TrackRecord track, double score, double tempoBpm, ExcerptPair bestPair,
      List<String> samePaths, String name) {}

  /** A query excerpt and an indexed excerpt, by their starts, with their similarity. */
  public record ExcerptPair(double queryStartSeconds, double matchStartSeconds, double similarity) {}
}
