package org.rhythmsearch.cli;

import java.util.List;
import java.util.function.LongUnaryOperator;
import org.rhythmsearch.bench.ServeLoad;
import org.rhythmsearch.http.RhythmServer;
import org.rhythmsearch.index.Metric;
import org.rhythmsearch.search.Aggregation;
import org.rhythmsearch.search.QueryException;
import org.rhythmsearch.search.QueryOptions;
import org.rhythmsearch.search.QueryService;
import org.rhythmsearch.search.TempoAlignment;
import org.rhythmsearch.store.Stores;
import org.rhythmsearch.store.TrackRecord;
import org.rhythmsearch.store.VectorStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code rhythmsearch bench serve --index DB}: the HTTP service under a bounded load of queries by track id. */
@Command(name = "serve", description = "Start `serve` on a free loopback port (or use --url), run N queries by track "
    + "id with C concurrent clients, report throughput and p50/p90/p99 latency, and the same queries through the "
    + "library in this process (no HTTP) as the baseline.")
final class BenchServeCommand extends Cmd {

  @Mixin Options.ExistingIndex index;

  @Option(names = "--queries", paramLabel = "N", defaultValue = "2000", converter = Options.PositiveInt.class,
      description = "Queries timed (default: ${DEFAULT-VALUE}).")
  int queries;

  @Option(names = "--clients", paramLabel = "C", defaultValue = "8", converter = Options.PositiveInt.class,
      description = "Concurrent clients (default: ${DEFAULT-VALUE}).")
  int clients;

  @Option(names = "--warmup", paramLabel = "N", defaultValue = "200",
      description = "Untimed queries first (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Mixin Options.Top top;

  @Option(names = "--url", paramLabel = "URL",
      description = "A server already running on this index (e.g. http://127.0.0.1:8080) instead of starting one; "
          + "repeat it to spread the queries in turn over several servers of the same index.")
  List<String> urls = new java.util.ArrayList<>();

  @Option(names = "--no-baseline", description = "Skip the library baseline in this process, which holds a second "
      + "copy of the index in memory (for an index too large for two).")
  boolean noBaseline;

  @Mixin Options.JsonOutput json;

  @Override
  public Integer call() throws Exception {
    if (warmup < 0) {
      throw usage("--warmup must be >= 0");
    }
    QueryService service = null;
    long[] ids;
    try (VectorStore store = Stores.openReadOnly(index.index.toString())) {
      if (!noBaseline) {
        service = QueryService.load(store, false);
      }
      ids = (service == null ? store.tracks() : service.snapshot().tracks()).stream().filter(t -> t.excerpts() > 0)
          .mapToLong(TrackRecord::id).toArray();
    }
    QueryOptions options = new QueryOptions(top.k, Aggregation.MEAN, Metric.COSINE, false, 0, TempoAlignment.DEFAULT);
    QueryService library = service;
    LongUnaryOperator direct = library == null ? null : id -> {
      try {
        return library.queryTrack(Long.toString(id), options).matches().size();
      } catch (QueryException e) {
        throw new IllegalStateException(e.getMessage(), e);
      }
    };
    RhythmServer server = null;
    List<String> bases = new java.util.ArrayList<>(urls);
    if (bases.isEmpty()) { // no score sampling: it would compete with the load for the cores
      server = RhythmServer.start(index.index.toString(), new RhythmServer.Settings("127.0.0.1", 0,
          RhythmServer.Settings.DEFAULT_UPLOAD_LIMIT, 60, 0, 0), line -> {});
      bases.add(server.url());
    }
    err().printf("%d queries by track id (k=%d) from %d clients against %s (%d tracks); %d untimed first%n", queries,
        top.k, clients, String.join(" and ", bases), ids.length, warmup);
    err().flush();
    ServeLoad.Result r;
    try {
      r = ServeLoad.run(bases, ids, queries, clients, top.k, warmup, 42, direct);
    } finally {
      if (server != null) {
        server.close();
      }
    }
    int failed = r.errors().values().stream().mapToInt(Integer::intValue).sum();
    report(json.json, r, out -> out.printf("%.0f queries/s over HTTP (%.2f s for %d); latency p50 %.2f ms, p90 %.2f "
        + "ms, p99 %.2f ms, max %.2f ms; %d errors%s; library in this process, same %d threads: %.0f queries/s "
        + "(HTTP = %.2f x); the search inside the server: mean %.2f ms of each query's time; the HTTP round trip "
        + "alone (GET /api/health): %.0f requests/s%n", r.qps(), r.seconds(), r.queries(), r.p50Millis(),
        r.p90Millis(), r.p99Millis(), r.maxMillis(), failed, failed == 0 ? "" : " " + r.errors(), r.clients(),
        r.baselineQps(), r.xBaseline(), r.serverSearchMillis(), r.healthQps()));
    return failed == 0 ? 0 : 1;
  }
}
