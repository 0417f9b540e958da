package org.rhythmsearch.json;

import java.util.ArrayList;
import java.util.List;
import org.rhythmsearch.search.QueryResult;
import org.rhythmsearch.search.ScoreScale;
import org.rhythmsearch.search.TempoAlignment;

/**
 * The JSON document of {@code query --json} (and of the HTTP API): the keys of the command-line
 * contract ({@code query}, {@code results[].track/score/queryOffsetSeconds/matchOffsetSeconds}) and
 * more beside them. Non-finite numbers (unknown tempi) are written as null ({@link Json}).
 */
public record QueryJson(String query, String feature, String metric, String aggregation, String search,
    double searchRecallAt10, String searchMeasured, TempoAlignment tempoAlignment, double tempoTolerance, double queryTempoBpm, int tracks, int excerpts,
    int queryExcerpts, List<QueryResult.QueryExcerpt> queryExcerptList, double loadSeconds, double extractSeconds,
    double searchMillis, List<Result> results, String queryDamage, List<LeftOut> leftOut, Double clipSeconds) {

  /** An indexed track left out of the answer: it holds the query's own content. */
  public record LeftOut(long trackId, String track) {}

  /** One ranked track. */
  @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
  public record Result(int rank, long trackId, String track, String name, double score, double queryOffsetSeconds,
      double matchOffsetSeconds, double pairScore, double tempoBpm, double durationSeconds, List<String> samePaths,
      Double percentile, String scoreInWords, TagsJson tags) {}

  public static QueryJson of(QueryResult r, double loadSeconds) {
    return of(r, loadSeconds, null);
  }

  /** As {@link #of(QueryResult, double)}, each score also put on {@code scale} (null: not). */
  public static QueryJson of(QueryResult r, double loadSeconds, ScoreScale scale) {
    List<Result> results = new ArrayList<>();
    for (QueryResult.Match m : r.matches()) {
      results.add(new Result(m.rank(), m.track().id(), m.track().path(), m.name(), m.score(), m.bestPair().queryStartSeconds(),
          m.bestPair().matchStartSeconds(), m.bestPair().similarity(), m.tempoBpm(), m.track().durationSeconds(),
          m.samePaths(), scale == null ? null : scale.percentile(m.score()), scale == null ? null : scale.words(m.score()),
          TagsJson.of(m.track().tags())));
    }
    var o = r.options();
    return new QueryJson(r.query(), r.feature(), o.metric().id(), o.aggregation().id(), r.search(), r.searchRecallAt10(),
        r.searchMeasured(), o.alignment(),
        o.tempoTolerance(), r.queryTempoBpm(), r.tracksIndexed(), r.excerptsIndexed(), r.queryExcerpts().size(),
        r.queryExcerpts(), loadSeconds, r.extractSeconds(), r.searchMillis(), results, r.queryDamage(),
        r.leftOut().stream().map(t -> new LeftOut(t.id(), t.path())).toList(),
        Double.isNaN(r.clipSeconds()) ? null : r.clipSeconds());
  }
}
