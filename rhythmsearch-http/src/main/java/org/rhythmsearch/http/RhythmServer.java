package org.rhythmsearch.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.config.SizeUnit;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.UploadedFile;
import io.javalin.http.staticfiles.Location;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.eclipse.jetty.server.ServerConnector;
import org.jfree.chart.JFreeChart;
import org.rhythmsearch.audio.AudioDecodeException;
import org.rhythmsearch.audio.AudioDecoder;
import org.rhythmsearch.audio.AudioLoader;
import org.rhythmsearch.audio.PcmAudio;
import org.rhythmsearch.features.ExcerptFigures;
import org.rhythmsearch.features.ExcerptVector;
import org.rhythmsearch.features.TrackFeatures;
import org.rhythmsearch.index.Metric;
import org.rhythmsearch.plot.ExcerptPlots;
import org.rhythmsearch.search.Aggregation;
import org.rhythmsearch.search.QueryException;
import org.rhythmsearch.search.QueryOptions;
import org.rhythmsearch.search.QueryResult;
import org.rhythmsearch.search.ScoreScale;
import org.rhythmsearch.search.TempoAlignment;
import org.rhythmsearch.store.StoreException;
import org.rhythmsearch.store.TrackRecord;
import org.rhythmsearch.util.Named;

/**
 * {@code rhythmsearch serve}: one index behind a JSON API and a web page (Javalin on Jetty).
 *
 * <ul>
 *   <li>{@code GET /api/health}; {@code GET /api/tracks?q=&offset=&limit=}; {@code GET /api/tracks/{id}};</li>
 *   <li>{@code POST /api/query}: a multipart upload (field {@code audio}) or JSON {@code {"trackId": …}},
 *       with {@code k}, {@code aggregate}, {@code tempoTolerance}, {@code lsh}; the answer is
 *       {@code query --json}'s document with more keys;</li>
 *   <li>{@code GET /api/tracks/{id}/audio?start=&seconds=} and {@code GET /api/uploads/{token}/audio?…}:
 *       an excerpt as 16-bit WAV, decoded by our decoder;</li>
 *   <li>{@code GET /api/plot?track=|upload=&start=&against=&start2=&view=&format=&size=}: the figures of
 *       {@code rhythmsearch plot} as PNG or SVG;</li>
 *   <li>{@code POST /api/reload}; the page at {@code /}.</li>
 * </ul>
 *
 * <p>Every error is a status and one line of JSON {@code {"error": …, "status": …}}, never a stack trace.
 * Files are reached only through track ids of the index and upload tokens. Thread-safe: requests run
 * concurrently, each on one {@link LiveIndex.Loaded} state.
 */
public final class RhythmServer implements AutoCloseable {

  /**
   * How the server runs.
   *
   * @param host address to bind (loopback by default: the service has no authentication)
   * @param port TCP port, 0 for any free one
   * @param uploadLimitBytes largest upload accepted (413 above)
   * @param timeoutSeconds longest a query, plot or excerpt may take (503 after)
   * @param watchSeconds how often the index file is checked for changes (0 = only {@code POST /api/reload})
   * @param scaleQueries tracks queried to put scores in words ({@link ScoreScale}; 0 = none)
   */
  public record Settings(String host, int port, long uploadLimitBytes, double timeoutSeconds, double watchSeconds,
      int scaleQueries) {

    public static final long DEFAULT_UPLOAD_LIMIT = 100L << 20;

    public Settings {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be in 0..65535; port=" + port);
      }
      if (uploadLimitBytes < 1) {
        throw new IllegalArgumentException("upload limit must be positive; uploadLimitBytes=" + uploadLimitBytes);
      }
      if (!(timeoutSeconds > 0) || !(watchSeconds >= 0) || scaleQueries < 0) {
        throw new IllegalArgumentException("timeout must be > 0, watch >= 0, scale queries >= 0");
      }
    }

    /** 127.0.0.1:8080, 100 MB uploads, 60 s per request, index checked every 2 s, 200 tracks for the scale. */
    public static Settings defaults() {
      return new Settings("127.0.0.1", 8080, DEFAULT_UPLOAD_LIMIT, 60, 2, ScoreScale.DEFAULT_QUERIES);
    }

    public Settings withPort(int p) {
      return new Settings(host, p, uploadLimitBytes, timeoutSeconds, watchSeconds, scaleQueries);
    }
  }

  /** Longest excerpt {@code /audio} serves, seconds. */
  static final double MAX_AUDIO_SECONDS = 60;
  private static final int MAX_TRACKS_PAGE = 500;
  /** Room for the form fields and part headers beside the file in a multipart upload, bytes. */
  private static final long FORM_SLACK = 1 << 20;
  /** Responses are one line of JSON each. */
  private static final com.fasterxml.jackson.databind.ObjectWriter COMPACT = Json.MAPPER.writer()
      .without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);
  private static final Set<String> QUERY_PARAMS = Set.of("k", "aggregate", "tempoTolerance", "lsh");

  private final String index;
  private final Settings settings;
  private final Consumer<String> log;
  private final LiveIndex live;
  private final Uploads uploads;
  private final ThreadPoolExecutor workers;
  private final Javalin app;

  private RhythmServer(String index, Settings settings, Consumer<String> log) throws StoreException, IOException {
    this.index = index;
    this.settings = settings;
    this.log = log;
    this.live = new LiveIndex(index, settings.scaleQueries(), log);
    this.uploads = new Uploads(32);
    int threads = 2 * Math.max(2, Runtime.getRuntime().availableProcessors()); // some wait on I/O, or on a lock
    this.workers = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(256), r -> {
      Thread t = new Thread(r, "rhythmsearch-worker");
      t.setDaemon(true);
      return t;
    });
    this.app = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.jetty.host = settings.host();
      config.jetty.port = settings.port();
      // the exact limit is enforced while the upload is stored (Uploads.store); Jetty's limits are a backstop
      config.jetty.multipartConfig.maxFileSize(settings.uploadLimitBytes() + FORM_SLACK, SizeUnit.BYTES);
      config.jetty.multipartConfig.maxTotalRequestSize(settings.uploadLimitBytes() + 2 * FORM_SLACK, SizeUnit.BYTES);
      config.jetty.multipartConfig.maxInMemoryFileSize(1 << 20, SizeUnit.BYTES);
      config.http.maxRequestSize = 1 << 20; // JSON bodies
      config.http.prefer405over404 = true;
      config.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrors()));
      config.jetty.modifyServer(server -> server.addEventListener(new org.eclipse.jetty.util.component.LifeCycle.Listener() {
        @Override
        public void lifeCycleStarted(org.eclipse.jetty.util.component.LifeCycle event) {
          for (var c : server.getConnectors()) {
            if (c instanceof ServerConnector sc) {
              sc.setIdleTimeout(Math.round(settings.timeoutSeconds() * 1000)); // a stalled client is dropped
            }
          }
        }
      }));
      config.staticFiles.add(s -> {
        s.hostedPath = "/";
        s.directory = "/org/rhythmsearch/http/web";
        s.location = Location.CLASSPATH;
        s.headers = Map.of("X-Content-Type-Options", "nosniff", "Cache-Control", "no-cache");
      });
      config.routes.before(ctx -> {
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Content-Security-Policy", "default-src 'self'; img-src 'self' blob: data:; media-src 'self' blob:; connect-src 'self' blob:; "
            + "object-src 'none'; frame-ancestors 'none'");
      });
      config.routes.get("/api/health", ctx -> json(ctx, 200, health(live.current(), false)));
      config.routes.post("/api/reload", this::reload);
      config.routes.get("/api/tracks", this::tracks);
      config.routes.get("/api/tracks/{id}", this::track);
      config.routes.get("/api/tracks/{id}/audio", this::trackAudio);
      config.routes.get("/api/uploads/{token}/audio", this::uploadAudio);
      config.routes.post("/api/query", this::query);
      config.routes.get("/api/plot", this::plot);
      config.routes.exception(ApiError.class, (e, ctx) -> error(ctx, e.status, e.getMessage()));
      config.routes.exception(HttpResponseException.class, (e, ctx) -> error(ctx, e.getStatus(), e.getMessage()));
      config.routes.exception(Exception.class, (e, ctx) -> {
        if (tooLarge(e)) {
          error(ctx, 413, "audio: the upload is larger than the limit of " + settings.uploadLimitBytes() + " bytes");
          return;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
          if (t instanceof org.eclipse.jetty.http.HttpException b) { // a malformed upload
            error(ctx, b.getCode(), "the request is malformed: " + b.getReason());
            return;
          }
        }
        log.accept("internal error on " + ctx.method() + " " + ctx.path() + ": " + e + (e.getCause() == null ? "" : " caused by " + e.getCause()));
        error(ctx, 500, "internal error (" + e.getClass().getSimpleName() + "); the server's log has the details");
      });
      config.routes.error(404, ctx -> {
        String type = ctx.res().getContentType();
        if (type == null || !type.startsWith("application/json")) { // not one of ours: an unknown path
          error(ctx, 404, ctx.path() + ": no such page or endpoint");
        }
      });
      config.routes.error(405, ctx -> error(ctx, 405, ctx.method() + " " + ctx.path() + ": method not allowed"));
    });
  }

  /**
   * Loads {@code index} (a SQLite path) and starts serving it.
   *
   * @param log one line per reload, refused reload and internal error
   * @throws StoreException when the index cannot be read
   */
  public static RhythmServer start(String index, Settings settings, Consumer<String> log)
      throws StoreException, IOException {
    RhythmServer s = new RhythmServer(index, settings, log);
    try {
      s.app.start();
    } catch (RuntimeException e) {
      s.close();
      throw new IOException("cannot listen on " + settings.host() + ":" + settings.port() + ": "
          + rootMessage(e), e);
    }
    if (settings.watchSeconds() > 0) {
      s.live.watch(settings.watchSeconds());
    }
    return s;
  }

  /** The port listened on. */
  public int port() {
    return app.port();
  }

  /** The base URL, e.g. {@code http://127.0.0.1:8080}. */
  public String url() {
    String host = settings.host().contains(":") ? "[" + settings.host() + "]" : settings.host();
    return "http://" + host + ":" + port();
  }

  /** Tracks and excerpts currently served. */
  public String describe() {
    LiveIndex.Loaded l = live.current();
    return String.format(Locale.ROOT, "%s: %d tracks, %d excerpts (feature %s%s)", index, l.snapshot().tracks().size(),
        l.snapshot().vectors().rows(), l.snapshot().config().id(), l.service.hasLsh() ? ", LSH" : "");
  }

  @Override
  public void close() {
    app.stop();
    workers.shutdownNow();
    live.close();
    try {
      uploads.close();
    } catch (IOException e) {
      log.accept("could not delete the uploads: " + e.getMessage());
    }
  }

  // ---- endpoints ----

  private Map<String, Object> health(LiveIndex.Loaded l, boolean reloaded) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("status", "ok");
    if (reloaded) {
      m.put("reloaded", true);
    }
    m.put("index", index);
    m.put("feature", l.snapshot().config().id());
    m.put("tracks", l.snapshot().tracks().size());
    m.put("excerpts", l.snapshot().vectors().rows());
    m.put("lsh", l.service.hasLsh());
    m.put("version", l.version);
    m.put("loadedAt", l.loadedAt.toString());
    ScoreScale scale = l.scaleIfReady();
    m.put("scorePairsSampled", scale == null ? null : scale.pairs());
    m.put("uploadLimitBytes", settings.uploadLimitBytes());
    return m;
  }

  private void reload(Context ctx) throws StoreException {
    Params.of(Params.first(ctx.queryParamMap()), Set.of());
    try {
      json(ctx, 200, health(live.reload(), true));
    } catch (StoreException e) {
      throw new ApiError(503, "could not reload the index (still answering from the previous state): " + e.getMessage());
    }
  }

  /** One track in the listing. */
  record TrackJson(long id, String path, String name, double durationSeconds, int excerpts, double tempoBpm,
      String problem) {}

  /** One track in full. */
  record TrackDetail(long id, String path, String name, double durationSeconds, int excerpts, double tempoBpm,
      String problem, String hash, long size, List<QueryResult.QueryExcerpt> excerptList) {}

  private void tracks(Context ctx) {
    Params p = Params.of(Params.first(ctx.queryParamMap()), Set.of("q", "offset", "limit"));
    String q = p.string("q", "").toLowerCase(Locale.ROOT);
    int offset = p.integer("offset", 0, 0, Integer.MAX_VALUE);
    int limit = p.integer("limit", 50, 1, MAX_TRACKS_PAGE);
    LiveIndex.Loaded l = live.current();
    List<TrackJson> page = new ArrayList<>();
    int total = 0;
    for (TrackRecord t : l.snapshot().tracks()) {
      if (q.isEmpty() || t.path().toLowerCase(Locale.ROOT).contains(q)) {
        if (total >= offset && page.size() < limit) {
          page.add(new TrackJson(t.id(), t.path(), name(t.path()), t.durationSeconds(), t.excerpts(), tempo(l, t),
              t.problem()));
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
    json(ctx, 200, m);
  }

  private void track(Context ctx) {
    Params.of(Params.first(ctx.queryParamMap()), Set.of());
    LiveIndex.Loaded l = live.current();
    TrackRecord t = l.track(Params.parseId("id", ctx.pathParam("id")));
    List<QueryResult.QueryExcerpt> excerpts = new ArrayList<>();
    for (ExcerptVector x : l.service.trackFeatures(Long.toString(t.id())).map(TrackFeatures::excerpts)
        .orElse(List.of())) {
      excerpts.add(new QueryResult.QueryExcerpt(x.startSeconds(), x.tempoBpm()));
    }
    json(ctx, 200, new TrackDetail(t.id(), t.path(), name(t.path()), t.durationSeconds(), t.excerpts(), tempo(l, t),
        t.problem(), t.hash(), t.size(), excerpts));
  }

  private static double tempo(LiveIndex.Loaded l, TrackRecord t) {
    return l.service.trackFeatures(Long.toString(t.id())).map(TrackFeatures::tempoBpm).orElse(Double.NaN);
  }

  private void trackAudio(Context ctx) throws Exception {
    TrackRecord t = live.current().track(Params.parseId("id", ctx.pathParam("id")));
    audio(ctx, Path.of(t.path()), "track " + t.id());
  }

  private void uploadAudio(Context ctx) throws Exception {
    Uploads.Upload u = upload("token", ctx.pathParam("token"));
    audio(ctx, u.file(), u.name());
  }

  private Uploads.Upload upload(String param, String token) {
    if (!token.matches("[0-9a-f]{32}")) {
      throw ApiError.badParameter(param, "must be the 32 hex digits a query with an upload returned", token);
    }
    return uploads.get(token).orElseThrow(() -> ApiError.notFound("upload " + token
        + ": no such upload (uploads are kept for the last 32 queries of this server run)"));
  }

  private void audio(Context ctx, Path file, String what) throws Exception {
    Params p = Params.of(Params.first(ctx.queryParamMap()), Set.of("start", "seconds"));
    double start = p.number("start", 0, 0, 7 * 24 * 3600, false);
    double seconds = p.number("seconds", 10, 0.1, MAX_AUDIO_SECONDS, false);
    requireFile(file, what);
    byte[] wav = timed(() -> {
      try {
        return wav(file, start, seconds);
      } catch (AudioDecodeException e) {
        throw decodeError(e, file, what, "start", start);
      }
    });
    ctx.writeSeekableStream(new ByteArrayInputStream(wav), "audio/wav", wav.length); // Range requests: the page can seek
  }

  /** {@code seconds} of {@code file} from {@code start} as mono 16-bit WAV at the file's rate (at most 48 kHz). */
  static byte[] wav(Path file, double start, double seconds) throws AudioDecodeException {
    int rate = Math.min(48000, AudioDecoder.probe(file).sampleRate());
    PcmAudio pcm = new AudioLoader(rate).load(file, start, seconds);
    float[] s = pcm.samples();
    byte[] pcm16 = new byte[2 * s.length];
    for (int i = 0; i < s.length; i++) {
      int v = Math.round(Math.max(-1f, Math.min(1f, s[i])) * 32767f);
      pcm16[2 * i] = (byte) v;
      pcm16[2 * i + 1] = (byte) (v >> 8);
    }
    AudioFormat format = new AudioFormat(rate, 16, 1, true, false);
    ByteArrayOutputStream out = new ByteArrayOutputStream(pcm16.length + 64);
    try (AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(pcm16), format, s.length)) {
      AudioSystem.write(in, AudioFileFormat.Type.WAVE, out);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private void query(Context ctx) throws Exception {
    String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(Locale.ROOT);
    LiveIndex.Loaded l = live.current();
    QueryResult r;
    Uploads.Upload upload = null;
    Long trackId = null;
    QueryOptions options;
    if (type.startsWith("multipart/form-data")) {
      long length = ctx.req().getContentLengthLong();
      if (length > settings.uploadLimitBytes() + FORM_SLACK) {
        throw new ApiError(413, "audio: the upload is larger than the limit of " + settings.uploadLimitBytes()
            + " bytes");
      }
      UploadedFile file = ctx.uploadedFile("audio");
      Map<String, String> fields = Params.first(ctx.formParamMap());
      fields.remove("audio");
      Params p = Params.of(fields, QUERY_PARAMS);
      options = options(p);
      if (file == null) {
        throw new ApiError(400, "audio: missing; send the query's audio file as the multipart field 'audio'");
      }
      try (var in = file.content()) {
        upload = uploads.store(in, file.filename(), settings.uploadLimitBytes());
      }
      Uploads.Upload u = upload;
      r = timed(() -> {
        try {
          return l.service.query(u.file(), options);
        } catch (AudioDecodeException e) {
          throw decodeError(e, u.file(), u.name(), "start", 0);
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
      options = options(p);
      trackId = p.id("trackId", true);
      TrackRecord t = l.track(trackId);
      r = timed(() -> {
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
      o.put("name", name(o.get("track").asText()));
      if (onScale) {
        o.put("percentile", scale.percentile(o.get("score").asDouble()));
        o.put("scoreInWords", scale.words(o.get("score").asDouble()));
      }
    }
    json(ctx, 200, doc);
  }

  private QueryOptions options(Params p) {
    int k = p.integer("k", QueryOptions.DEFAULT_K, 1, 1000);
    Aggregation aggregation;
    try {
      aggregation = Named.byId(Aggregation.class, p.string("aggregate", "mean"), "aggregation");
    } catch (IllegalArgumentException e) {
      throw ApiError.badParameter("aggregate", e.getMessage(), p.string("aggregate", ""));
    }
    double tolerance = p.number("tempoTolerance", 0, 0, 1, true);
    boolean lsh = p.bool("lsh", false);
    if (lsh && !live.current().service.hasLsh()) {
      throw ApiError.badParameter("lsh", "the index has no current LSH tables (run: rhythmsearch index ... --lsh)",
          true);
    }
    return new QueryOptions(k, aggregation, Metric.COSINE, lsh, tolerance, TempoAlignment.DEFAULT);
  }

  private void plot(Context ctx) throws Exception {
    Params p = Params.of(Params.first(ctx.queryParamMap()),
        Set.of("track", "upload", "start", "against", "start2", "view", "format", "size"));
    LiveIndex.Loaded l = live.current();
    if (p.has("track") == p.has("upload")) {
      throw new ApiError(400, "track, upload: give exactly one of them (a track id, or the token of an upload)");
    }
    Path a;
    String aName;
    if (p.has("track")) {
      TrackRecord t = l.track(p.id("track", true));
      a = Path.of(t.path());
      aName = "track " + t.id();
    } else {
      Uploads.Upload u = upload("upload", p.string("upload", ""));
      a = u.file();
      aName = u.name();
    }
    requireFile(a, aName);
    double start = p.number("start", 0, 0, 7 * 24 * 3600, false);
    TrackRecord against = p.has("against") ? l.track(p.id("against", false)) : null;
    double start2 = p.number("start2", start, 0, 7 * 24 * 3600, false);
    String view = p.string("view", against == null ? "all" : "pair");
    if (!view.equals("all") && !view.equals("pair")) {
      throw ApiError.badParameter("view", "must be all or pair", view);
    }
    if (view.equals("pair") && against == null) {
      throw new ApiError(400, "view: pair needs against (the track to compare with)");
    }
    String format = p.string("format", "png");
    ExcerptPlots.Format f = switch (format) {
      case "png" -> ExcerptPlots.Format.PNG;
      case "svg" -> ExcerptPlots.Format.SVG;
      default -> throw ApiError.badParameter("format", "must be png or svg", format);
    };
    String size = p.string("size", "640x400");
    if (!size.matches("\\d{3,4}x\\d{3,4}")) {
      throw ApiError.badParameter("size", "must be WIDTHxHEIGHT, each 100 to 9999 pixels", size);
    }
    int w = Integer.parseInt(size.substring(0, size.indexOf('x')));
    int h = Integer.parseInt(size.substring(size.indexOf('x') + 1));
    if (against != null) {
      requireFile(Path.of(against.path()), "track " + against.id());
    }
    byte[] image = timed(() -> {
      ExcerptFigures fa;
      ExcerptFigures fb = null;
      try {
        fa = ExcerptFigures.of(l.snapshot().config(), a, start);
      } catch (AudioDecodeException e) {
        throw decodeError(e, a, aName, "start", start);
      }
      if (against != null) {
        try {
          fb = ExcerptFigures.of(l.snapshot().config(), Path.of(against.path()), start2);
        } catch (AudioDecodeException e) {
          throw decodeError(e, Path.of(against.path()), "track " + against.id(), "start2", start2);
        }
        if (fa.descriptor() == null || fb.descriptor() == null) {
          throw new ApiError(422, (fa.descriptor() == null ? aName : "track " + against.id())
              + ": the excerpt is silent: no descriptor to compare");
        }
      }
      List<JFreeChart> charts = view.equals("pair") ? List.of(ExcerptPlots.compare(fa, fb))
          : ExcerptPlots.figures(fa, fb);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ExcerptPlots.write(charts, 2, w, h, f, out);
      return out.toByteArray();
    });
    ctx.status(200).contentType(f.mediaType()).result(image);
  }

  // ---- helpers ----

  /** Jetty's own refusals (malformed requests, before any route) as one line of JSON too, never an HTML page. */
  private static final class JsonErrors extends org.eclipse.jetty.server.handler.ErrorHandler {
    @Override
    protected void generateResponse(org.eclipse.jetty.server.Request request, org.eclipse.jetty.server.Response response,
        int code, String message, Throwable cause, org.eclipse.jetty.util.Callback callback) {
      response.getHeaders().put(org.eclipse.jetty.http.HttpHeader.CONTENT_TYPE, "application/json");
      response.write(true, java.nio.ByteBuffer.wrap(body(code, message)), callback);
    }

    private static byte[] body(int code, String message) {
      Map<String, Object> m = new LinkedHashMap<>();
      String reason = org.eclipse.jetty.http.HttpStatus.getMessage(code);
      m.put("error", message == null || message.isBlank() || message.equals(reason) ? reason : reason + ": " + message.replace('\n', ' '));
      m.put("status", code);
      try {
        return COMPACT.writeValueAsBytes(m);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private static void requireFile(Path file, String what) {
    if (!Files.isRegularFile(file)) {
      throw ApiError.notFound(what + ": its audio file is no longer at " + file);
    }
  }

  /** A decoder's refusal as an API error: 415 for what is not audio we decode, 400 for a range, else 422. */
  private static ApiError decodeError(AudioDecodeException e, Path file, String what, String startParam,
      double start) {
    String message = e.getMessage().replace(file.toString(), what);
    return switch (e.reason()) {
      case NOT_AUDIO, UNSUPPORTED_CODEC, EMPTY -> new ApiError(415, message);
      case OUT_OF_RANGE -> ApiError.badParameter(startParam, "beyond the end of the audio (" + message + ")", start);
      default -> new ApiError(422, message);
    };
  }

  /** Runs {@code work} on a worker with the request timeout: 503 when the workers are all busy or time runs out. */
  private <T> T timed(Callable<T> work) throws Exception {
    Future<T> f;
    try {
      f = workers.submit(work);
    } catch (RejectedExecutionException e) {
      throw new ApiError(503, "the server is busy; try again");
    }
    try {
      return f.get(Math.round(settings.timeoutSeconds() * 1000), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      throw new ApiError(503, String.format(Locale.ROOT, "the request took longer than %.0f s and was stopped",
          settings.timeoutSeconds()));
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception x ? x : e;
    }
  }

  private static boolean tooLarge(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
      if (m.contains("exceeds") && (m.contains("max") || m.contains("size")) || m.contains("too large")
          || m.contains("too big")) {
        return true;
      }
    }
    return false;
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage();
  }

  private static String name(String path) {
    Path f = Path.of(path).getFileName();
    return f == null ? path : f.toString();
  }

  private static void error(Context ctx, int status, String message) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("error", message.replace('\n', ' '));
    m.put("status", status);
    json(ctx, status, m);
  }

  private static void json(Context ctx, int status, Object doc) {
    try {
      ctx.status(status).contentType("application/json").result(COMPACT.writeValueAsBytes(doc));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
