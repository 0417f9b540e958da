package org.rhythmsearch.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.rhythmsearch.features.ExcerptVector;
import org.rhythmsearch.features.TrackFeatures;
import org.rhythmsearch.json.TagsJson;
import org.rhythmsearch.search.QueryResult;
import org.rhythmsearch.search.ScoreScale;
import org.rhythmsearch.store.StoreException;
import org.rhythmsearch.store.TrackRecord;

/**
 * What the index holds: {@code GET /api/health}, {@code POST /api/reload}, {@code GET /api/tracks}
 * (paged, filtered by path text) and {@code GET /api/tracks/{id}}.
 *
 * <p>Thread-safe: each request reads one {@link LiveIndex.Loaded} state.
 */
final class CatalogEndpoints {

  private static final int MAX_TRACKS_PAGE = 500;

  private final String index;
  private final LiveIndex live;
  private final long uploadLimitBytes;

  CatalogEndpoints(String index, LiveIndex live, long uploadLimitBytes) {
    this.index = index;
    this.live = live;
    this.uploadLimitBytes = uploadLimitBytes;
  }

  Map<String, Object> health(LiveIndex.Loaded l, boolean reloaded) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("status", "ok");
    if (reloaded) {
      m.put("reloaded", true);
    }
    m.put("index", index);
    m.put("feature", l.snapshot().config().id());
    m.put("tracks", l.snapshot().tracks().size());
    m.put("excerpts", l.snapshot().vectors().rows());
    m.put("lsh", l.service.hasApproximate()); // the earlier name: whether approximate queries can be answered
    m.put("approximate", l.service.approximate().map(a -> a.describe()).orElse(null));
    m.put("approximateUsedByAuto", l.service.autoUsesApproximate());
    m.put("approximateMeasured", l.service.measured().map(x -> x.describe()).orElse(null));
    m.put("version", l.version);
    m.put("loadedAt", l.loadedAt.toString());
    ScoreScale scale = l.scaleIfReady();
    m.put("scorePairsSampled", scale == null ? null : scale.pairs());
    m.put("uploadLimitBytes", uploadLimitBytes);
    return m;
  }

  /**
   * 200 with what is served, or 503 ("degraded") while the index cannot be read: queries are then still
   * answered from the state loaded last, and the server recovers by itself when the index is back.
   */
  void health(Context ctx) {
    Params.of(Params.first(ctx.queryParamMap()), Set.of());
    Map<String, Object> h = health(live.current(), false);
    String problem = live.problem();
    if (problem != null) {
      h.put("status", "degraded");
      h.put("error", problem);
    }
    Responses.json(ctx, problem == null ? 200 : 503, h);
  }

  void reload(Context ctx) throws StoreException {
    Params.of(Params.first(ctx.queryParamMap()), Set.of());
    try {
      Responses.json(ctx, 200, health(live.reload(), true));
    } catch (StoreException e) {
      throw new ApiError(503, "could not reload the index (still answering from the previous state): "
          + e.getMessage());
    }
  }

  /** One track in the listing. */
  record TrackJson(long id, String path, String name, double durationSeconds, int excerpts, double tempoBpm,
      String problem, @JsonInclude(JsonInclude.Include.NON_NULL) TagsJson tags) {}

  /** One track in full. */
  record TrackDetail(long id, String path, String name, double durationSeconds, int excerpts, double tempoBpm,
      String problem, String hash, long size, List<QueryResult.QueryExcerpt> excerptList,
      @JsonInclude(JsonInclude.Include.NON_NULL) TagsJson tags) {}

  void tracks(Context ctx) {
    Params p = Params.of(Params.first(ctx.queryParamMap()), Set.of("q", "offset", "limit"));
    String q = p.string("q", "").toLowerCase(Locale.ROOT);
    int offset = p.integer("offset", 0, 0, Integer.MAX_VALUE);
    int limit = p.integer("limit", 50, 1, MAX_TRACKS_PAGE);
    LiveIndex.Loaded l = live.current();
    List<TrackJson> page = new ArrayList<>();
    int total = 0;
    for (TrackRecord t : l.snapshot().tracks()) {
      String name = l.service.name(t);
      if (q.isEmpty() || t.path().toLowerCase(Locale.ROOT).contains(q) || name.toLowerCase(Locale.ROOT).contains(q)) {
        if (total >= offset && page.size() < limit) {
          page.add(new TrackJson(t.id(), t.path(), name, t.durationSeconds(), t.excerpts(), tempo(l, t), t.problem(),
              TagsJson.of(t.tags())));
        }
        total++;
      }
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("q", q);
    m.put("offset", offset);
    m.put("limit", limit);
    m.put("total", total);
    m.put("tracks", page);
    Responses.json(ctx, 200, m);
  }

  void track(Context ctx) {
    Params.of(Params.first(ctx.queryParamMap()), Set.of());
    LiveIndex.Loaded l = live.current();
    TrackRecord t = l.track(Params.parseId("id", ctx.pathParam("id")));
    List<QueryResult.QueryExcerpt> excerpts = new ArrayList<>();
    for (ExcerptVector x : l.service.trackFeatures(Long.toString(t.id())).map(TrackFeatures::excerpts)
        .orElse(List.of())) {
      excerpts.add(new QueryResult.QueryExcerpt(x.startSeconds(), x.tempoBpm()));
    }
    Responses.json(ctx, 200, new TrackDetail(t.id(), t.path(), l.service.name(t), t.durationSeconds(),
        t.excerpts(), tempo(l, t),
        t.problem(), t.hash(), t.size(), excerpts, TagsJson.of(t.tags())));
  }

  private static double tempo(LiveIndex.Loaded l, TrackRecord t) {
    return l.service.trackTempoBpm(Long.toString(t.id()));
  }

}
