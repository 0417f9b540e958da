package org.rhythmsearch.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.rhythmsearch.audio.AudioDecodeException;
import org.rhythmsearch.index.Metric;
import org.rhythmsearch.json.Json;
import org.rhythmsearch.json.QueryJson;
import org.rhythmsearch.search.Aggregation;
import org.rhythmsearch.search.QueryException;
import org.rhythmsearch.search.QueryOptions;
import org.rhythmsearch.search.QueryResult;
import org.rhythmsearch.search.ScoreScale;
import org.rhythmsearch.search.TempoAlignment;
import org.rhythmsearch.store.TrackRecord;
import org.rhythmsearch.util.Named;

/**
 * {@code POST /api/query}: an uploaded audio file (multipart, field {@code audio}) or {@code
 * {"trackId": …}}, with {@code k}, {@code aggregate}, {@code tempoTolerance} and {@code search} (or the older
 * {@code lsh}); the answer is
 * {@code query --json}'s document ({@link QueryJson}) with the upload's token, file names and the
 * scores put in words ({@link ScoreScale}).
 *
 * <p>Thread-safe: each request reads one {@link LiveIndex.Loaded} state.
 */
final class QueryEndpoint {

  /** Room for the form fields and part headers beside the file in a multipart upload, bytes. */
  static final long FORM_SLACK = 1 << 20;
  private static final Set<String> QUERY_PARAMS = Set.of("k", "aggregate", "tempoTolerance", "tempoAlign", "tempoMargin",
      "search", "lsh");

  private final LiveIndex live;
  private final Uploads uploads;
  private final Workers workers;
  private final long uploadLimitBytes;

  QueryEndpoint(LiveIndex live, Uploads uploads, Workers workers, long uploadLimitBytes) {
    this.live = live;
    this.uploads = uploads;
    this.workers = workers;
    this.uploadLimitBytes = uploadLimitBytes;
  }

  void query(Context ctx) throws Exception {
    String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(Locale.ROOT);
    LiveIndex.Loaded l = live.current();
    QueryResult r;
    Uploads.Upload upload = null;
    Long trackId = null;
    QueryOptions options;
    if (type.startsWith("multipart/form-data")) {
      long length = ctx.req().getContentLengthLong();
      if (length > uploadLimitBytes + FORM_SLACK) {
        throw new ApiError(413, "audio: the upload is larger than the limit of " + uploadLimitBytes
            + " bytes");
      }
      UploadedFile file = ctx.uploadedFile("audio");
      Map<String, String> fields = Params.first(ctx.formParamMap());
      fields.remove("audio");
      Params p = Params.of(fields, QUERY_PARAMS);
      options = options(p, l);
      if (file == null) {
        throw new ApiError(400, "audio: missing; send the query's audio file as the multipart field 'audio'");
      }
      try (var in = file.content()) {
        upload = uploads.store(in, file.filename(), uploadLimitBytes);
      }
      Uploads.Upload u = upload;
      r = workers.timed(() -> {
        try {
          return l.service.query(u.file(), options);
        } catch (AudioDecodeException e) {
          throw ApiError.decoding(e, u.file(), u.name(), "start", 0);
        } catch (QueryException e) {
          throw new ApiError(422, e.getMessage().replace(u.file().toString(), u.name()));
        }
      });
    } else if (type.startsWith("application/json")) {
      JsonNode body;
      try {
        body = Json.MAPPER.readTree(ctx.body());
      } catch (JsonProcessingException e) {
        throw new ApiError(400, "body: not valid JSON (" + e.getOriginalMessage() + ")");
      }
      if (body == null || !body.isObject()) {
        throw new ApiError(400, "body: must be a JSON object such as {\"trackId\": 1, \"k\": 10}");
      }
      Map<String, String> fields = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> e : body.properties()) {
        fields.put(e.getKey(), e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString());
      }
      Set<String> known = new java.util.HashSet<>(QUERY_PARAMS);
      known.add("trackId");
      Params p = Params.of(fields, known);
      options = options(p, l);
      trackId = p.id("trackId", true);
      TrackRecord t = l.track(trackId);
      r = workers.timed(() -> {
        try {
          return l.service.queryTrack(Long.toString(t.id()), options);
        } catch (QueryException e) {
          throw new ApiError(422, e.getMessage());
        }
      });
    } else {
      throw new ApiError(415, "Content-Type: send multipart/form-data with the audio file in the field 'audio', or "
          + "application/json with a trackId; Content-Type=" + ctx.contentType());
    }
    ObjectNode doc = Json.MAPPER.valueToTree(QueryJson.of(r, 0));
    doc.put("indexVersion", l.version);
    if (upload != null) {
      doc.put("query", upload.name());
      doc.putObject("upload").put("token", upload.token()).put("name", upload.name());
    } else {
      doc.put("queryTrackId", trackId);
    }
    ScoreScale scale = l.scaleIfReady();
    boolean onScale = scale != null && options.aggregation().id().equals(scale.aggregation())
        && options.metric() == Metric.COSINE;
    ObjectNode s = doc.putObject("scale");
    s.put("ready", scale != null);
    s.put("applies", onScale);
    if (scale != null) {
      s.put("pairsSampled", scale.pairs());
      s.put("tracksQueried", scale.queries());
      s.put("aggregation", scale.aggregation());
    }
    ArrayNode results = (ArrayNode) doc.get("results");
    for (JsonNode n : results) {
      ObjectNode o = (ObjectNode) n;
      if (onScale) {
        o.put("percentile", scale.percentile(o.get("score").asDouble()));
        o.put("scoreInWords", scale.words(o.get("score").asDouble()));
      }
    }
    Responses.json(ctx, 200, doc);
  }

  private static QueryOptions options(Params p, LiveIndex.Loaded l) {
    int k = p.integer("k", QueryOptions.DEFAULT_K, 1, 1000);
    Aggregation aggregation;
    try {
      aggregation = Named.byId(Aggregation.class, p.string("aggregate", "mean"), "aggregation");
    } catch (IllegalArgumentException e) {
      throw ApiError.badParameter("aggregate", e.getMessage(), p.string("aggregate", ""));
    }
    double tolerance = p.number("tempoTolerance", 0, 0, 1, true);
    QueryOptions.Search search;
    String param = p.has("lsh") ? "lsh" : "search";
    if (p.has("lsh")) { // the earlier name: true asks for the approximate index, false for exact search
      search = p.bool("lsh", false) ? QueryOptions.Search.APPROXIMATE : QueryOptions.Search.EXACT;
    } else {
      try {
        search = Named.byId(QueryOptions.Search.class, p.string("search", "auto"), "search");
      } catch (IllegalArgumentException e) {
        throw ApiError.badParameter("search", e.getMessage(), p.string("search", ""));
      }
    }
    if (search == QueryOptions.Search.APPROXIMATE && !l.service.hasApproximate()) {
      throw ApiError.badParameter(param, "the index has no current approximate index (run: rhythmsearch index ... "
          + "--ann auto)", true);
    }
    return new QueryOptions(k, aggregation, Metric.COSINE, search, tolerance, alignment(p));
  }

  /**
   * The tempo alignment of {@code tempoAlign} (largest tempo difference aligned, 0 to 0.5; 0 = off) and
   * {@code tempoMargin} (0 to 2), as the CLI's {@code --tempo-align} and {@code --tempo-margin}; the
   * defaults when absent.
   */
  static TempoAlignment alignment(Params p) {
    return new TempoAlignment(p.number("tempoAlign", TempoAlignment.DEFAULT.tolerance(), 0, 0.5, false),
        p.number("tempoMargin", TempoAlignment.DEFAULT.margin(), 0, 2, false));
  }
}
