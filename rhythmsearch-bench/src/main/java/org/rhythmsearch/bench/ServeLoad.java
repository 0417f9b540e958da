package org.rhythmsearch.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.function.LongUnaryOperator;
import java.util.regex.Pattern;

/**
 * A bounded load on a running {@code rhythmsearch serve}: N queries by track id ({@code POST
 * /api/query {"trackId": …}}) from C concurrent clients over loopback; throughput and latency
 * percentiles, and every response that was not 200 counted and named by status.
 *
 * <p>The baseline runs the same queries through the library in the same process, with the same
 * number of threads and no HTTP, so the report can say what the service costs on top of the search.
 */
public final class ServeLoad {

  /**
   * One run.
   *
   * @param queries queries timed (after the warm-up)
   * @param clients concurrent clients
   * @param errors responses other than 200, by status (status -1: no response)
   * @param qps queries per second through HTTP
   * @param p50Millis median latency of one query, ms (p90, p99, max likewise)
   * @param baselineQps the same queries through the library in this process, same threads, no HTTP
   * @param xBaseline {@code qps / baselineQps}
   * @param healthQps {@code GET /api/health} per second with the same clients: the HTTP round trip alone
   * @param serverSearchMillis mean wall time of the search itself inside the server ({@code searchMillis}) under
   *     this load, ms: the rest of a query's latency is HTTP and waiting for a worker
   */
  public record Result(String url, int queries, int clients, int k, int warmup, Map<Integer, Integer> errors,
      double seconds, double qps, double p50Millis, double p90Millis, double p99Millis, double maxMillis,
      double baselineQps, double xBaseline, double healthQps, double serverSearchMillis) {}

  private ServeLoad() {}

  /**
   * Runs {@code queries} queries (after {@code warmup} untimed ones) with {@code clients} clients
   * against the server at {@code url}, each asking for the {@code k} tracks most like one of
   * {@code trackIds} (drawn with {@code seed}); {@code direct} answers one query by track id in this
   * process, for the baseline (null: no baseline).
   */
  /**
   * Runs {@code queries} queries (after {@code warmup} untimed ones) with {@code clients} clients,
   * spread in turn over the servers at {@code urls} (all of one index), each asking for the {@code k}
   * tracks most like one of {@code trackIds} (drawn with {@code seed}); {@code direct} answers one query by
   * track id in this process, for the baseline (null: no baseline).
   */
  public static Result run(List<String> urls, long[] trackIds, int queries, int clients, int k, int warmup, long seed,
      LongUnaryOperator direct) throws IOException, InterruptedException {
    if (trackIds.length == 0) {
      throw new IllegalArgumentException("no track with vectors to query with");
    }
    long[] order = new long[queries + warmup];
    SplittableRandom rnd = new SplittableRandom(seed);
    for (int i = 0; i < order.length; i++) {
      order[i] = trackIds[rnd.nextInt(trackIds.length)];
    }
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
        .executor(Executors.newFixedThreadPool(clients)).build();
    List<URI> endpoints = new ArrayList<>();
    for (String u : urls) {
      endpoints.add(URI.create(u + "/api/query"));
    }
    Map<Integer, Integer> errors = new TreeMap<>();
    // warm-up of both paths (the JIT, the server's threads), untimed, before either is timed
    if (direct != null) {
      runAll(clients, warmup, i -> direct.applyAsLong(order[i]));
    }
    runAll(clients, warmup, i -> {
      int status = post(http, endpoints.get(i % endpoints.size()), order[i], k, new DoubleAdder());
      if (status != 200) {
        synchronized (errors) {
          errors.merge(status, 1, Integer::sum);
        }
      }
      return 0;
    });
    double baselineQps = Double.NaN;
    if (direct != null) {
      long b0 = System.nanoTime();
      runAll(clients, queries, i -> direct.applyAsLong(order[warmup + i]));
      baselineQps = queries / ((System.nanoTime() - b0) / 1e9);
    }
    long[] nanos = new long[queries];
    DoubleAdder searchMillis = new DoubleAdder();
    long t0 = System.nanoTime();
    runAll(clients, queries, i -> {
      long s = System.nanoTime();
      int status = post(http, endpoints.get(i % endpoints.size()), order[warmup + i], k, searchMillis);
      nanos[i] = System.nanoTime() - s;
      if (status != 200) {
        synchronized (errors) {
          errors.merge(status, 1, Integer::sum);
        }
      }
      return 0;
    });
    double seconds = (System.nanoTime() - t0) / 1e9;
    Arrays.sort(nanos);
    URI health = URI.create(urls.get(0) + "/api/health");
    long h0 = System.nanoTime();
    runAll(clients, queries, i -> {
      int status = http.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.discarding())
          .statusCode();
      if (status != 200) {
        synchronized (errors) {
          errors.merge(status, 1, Integer::sum);
        }
      }
      return status;
    });
    double healthQps = queries / ((System.nanoTime() - h0) / 1e9);
    double qps = queries / seconds;
    return new Result(String.join(" ", urls), queries, clients, k, warmup, errors, seconds, qps, pct(nanos, 0.50), pct(nanos, 0.90),
        pct(nanos, 0.99), nanos[nanos.length - 1] / 1e6, baselineQps, qps / baselineQps, healthQps,
        searchMillis.sum() / queries);
  }

  private interface Task {
    long run(int i) throws Exception;
  }

  /** Runs tasks 0..n-1 on {@code threads} threads, each taking the next index. */
  private static void runAll(int threads, int n, Task task) throws InterruptedException {
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      done.add(pool.submit(() -> {
        for (int i; (i = next.getAndIncrement()) < n; ) {
          task.run(i);
        }
        return null;
      }));
    }
    pool.shutdown();
    for (Future<?> f : done) {
      try {
        f.get();
      } catch (java.util.concurrent.ExecutionException e) {
        throw new IllegalStateException("load client failed: " + e.getCause(), e.getCause());
      }
    }
  }

  private static final Pattern SEARCH = Pattern.compile("\"searchMillis\":([0-9.Ee-]+)");

  /** POSTs one query; adds the search time the server reports ({@code searchMillis}) to {@code searchMillis}. */
  private static int post(HttpClient http, URI endpoint, long trackId, int k, DoubleAdder searchMillis)
      throws InterruptedException {
    HttpRequest r = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(120))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"trackId\": " + trackId + ", \"k\": " + k + "}")).build();
    try {
      HttpResponse<String> res = http.send(r, HttpResponse.BodyHandlers.ofString());
      var m = SEARCH.matcher(res.body());
      if (m.find()) {
        searchMillis.add(Double.parseDouble(m.group(1)));
      }
      return res.statusCode();
    } catch (IOException e) {
      return -1;
    }
  }

  private static double pct(long[] sorted, double p) {
    int i = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
  }
}
