package org.rhythmsearch.http;

import io.javalin.Javalin;
import io.javalin.config.SizeUnit;
import io.javalin.http.HttpResponseException;
import io.javalin.http.staticfiles.Location;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.component.LifeCycle;
import org.rhythmsearch.search.ScoreScale;
import org.rhythmsearch.store.StoreException;

/**
 * {@code rhythmsearch serve}: one index behind a JSON API and a web page (Javalin on Jetty).
 *
 * <ul>
 *   <li>{@code GET /api/health}; {@code GET /api/tracks?q=&offset=&limit=}; {@code GET /api/tracks/{id}};</li>
 *   <li>{@code POST /api/query}: a multipart upload (field {@code audio}) or JSON {@code {"trackId": …}},
 *       with {@code k}, {@code aggregate}, {@code tempoTolerance}, {@code search}; the answer is
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
  }

  private final String index;
  private final Settings settings;
  private final Consumer<String> log;
  private final LiveIndex live;
  private final Uploads uploads;
  private final Workers workers;
  private final Javalin app;

  private RhythmServer(String index, Settings settings, Consumer<String> log) throws StoreException, IOException {
    this.index = index;
    this.settings = settings;
    this.log = log;
    this.live = new LiveIndex(index, settings.scaleQueries(), log);
    try {
      this.uploads = new Uploads(32);
    } catch (IOException e) {
      live.close();
      throw e;
    }
    this.workers = new Workers(settings.timeoutSeconds());
    CatalogEndpoints catalog = new CatalogEndpoints(index, live, settings.uploadLimitBytes());
    QueryEndpoint query = new QueryEndpoint(live, uploads, workers, settings.uploadLimitBytes());
    MediaEndpoints media = new MediaEndpoints(live, uploads, workers);
    this.app = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.jetty.host = settings.host();
      config.jetty.port = settings.port();
      // the exact limit is enforced while the upload is stored (Uploads.store); Jetty's limits are a backstop
      long limit = settings.uploadLimitBytes();
      config.jetty.multipartConfig.maxFileSize(limit + QueryEndpoint.FORM_SLACK, SizeUnit.BYTES);
      config.jetty.multipartConfig.maxTotalRequestSize(limit + 2 * QueryEndpoint.FORM_SLACK, SizeUnit.BYTES);
      config.jetty.multipartConfig.maxInMemoryFileSize(1 << 20, SizeUnit.BYTES);
      config.http.maxRequestSize = 1 << 20; // JSON bodies
      config.http.prefer405over404 = true;
      config.jetty.modifyServer(server -> server.setErrorHandler(new Responses.JsonErrors()));
      config.jetty.modifyServer(server -> server.addEventListener(new LifeCycle.Listener() {
        @Override
        public void lifeCycleStarted(LifeCycle event) {
          for (var c : server.getConnectors()) {
            if (c instanceof ServerConnector sc) {
              // a stalled client is dropped; never sooner than 30 s, so a short request timeout (503) does not
              // cut connections before their answer is written
              sc.setIdleTimeout(Math.max(30_000, Math.round(settings.timeoutSeconds() * 1000)));
            }
          }
        }
      }));
      // one line per request: method, path, status, milliseconds, client
      config.requestLogger.http((ctx, ms) -> log.accept(String.format(java.util.Locale.ROOT, "%s %s %d %.1f ms %s",
          ctx.method(), ctx.path(), ctx.statusCode(), ms, ctx.ip())));
      config.staticFiles.add(s -> {
        s.hostedPath = "/";
        s.directory = "/org/rhythmsearch/http/web";
        s.location = Location.CLASSPATH;
        s.headers = Map.of("X-Content-Type-Options", "nosniff", "Cache-Control", "no-cache");
      });
      config.routes.before(ctx -> {
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Content-Security-Policy", "default-src 'self'; img-src 'self' blob: data:; media-src 'self' blob:; "
            + "connect-src 'self' blob:; object-src 'none'; frame-ancestors 'none'");
      });
      config.routes.get("/api/health", catalog::health);
      config.routes.post("/api/reload", catalog::reload);
      config.routes.get("/api/tracks", catalog::tracks);
      config.routes.get("/api/tracks/{id}", catalog::track);
      config.routes.get("/api/tracks/{id}/audio", media::trackAudio);
      config.routes.get("/api/uploads/{token}/audio", media::uploadAudio);
      config.routes.post("/api/query", query::query);
      config.routes.get("/api/plot", media::plot);
      config.routes.exception(ApiError.class, (e, ctx) -> Responses.error(ctx, e.status, e.getMessage()));
      config.routes.exception(HttpResponseException.class,
          (e, ctx) -> Responses.error(ctx, e.getStatus(), e.getMessage()));
      config.routes.exception(Exception.class, (e, ctx) -> {
        if (Responses.tooLarge(e)) {
          Responses.error(ctx, 413, "audio: the upload is larger than the limit of " + limit + " bytes");
          return;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
          if (t instanceof org.eclipse.jetty.http.HttpException b) { // a malformed upload
            Responses.error(ctx, b.getCode(), "the request is malformed: " + b.getReason());
            return;
          }
        }
        log.accept("internal error on " + ctx.method() + " " + ctx.path() + ": " + e
            + (e.getCause() == null ? "" : " caused by " + e.getCause()));
        Responses.error(ctx, 500, "internal error (" + e.getClass().getSimpleName()
            + "); the server's log has the details");
      });
      config.routes.error(404, ctx -> {
        String type = ctx.res().getContentType();
        if (type == null || !type.startsWith("application/json")) { // not one of ours: an unknown path
          Responses.error(ctx, 404, ctx.path() + ": no such page or endpoint");
        }
      });
      config.routes.error(405,
          ctx -> Responses.error(ctx, 405, ctx.method() + " " + ctx.path() + ": method not allowed"));
    });
  }

  /**
   * Loads {@code index} (a SQLite path) and starts serving it.
   *
   * @param log one line per request (method, path, status, milliseconds, client), reload, refused reload and
   *     internal error
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
    String ann = l.service.approximate().map(a -> ", " + a.kind().id().toUpperCase(Locale.ROOT) + " index "
        + (l.service.autoUsesApproximate() ? "searched by default, " : "not searched by default, ")
        + l.service.measured().map(m -> "measured " + m.describe()).orElse("not measured")).orElse("");
    return String.format(Locale.ROOT, "%s: %d tracks, %d excerpts (feature %s%s)", index, l.snapshot().tracks().size(),
        l.snapshot().vectors().rows(), l.snapshot().config().id(), ann);
  }

  @Override
  public void close() {
    app.stop();
    workers.close();
    live.close();
    try {
      uploads.close();
    } catch (IOException e) {
      log.accept("could not delete the uploads: " + e.getMessage());
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage();
  }
}
