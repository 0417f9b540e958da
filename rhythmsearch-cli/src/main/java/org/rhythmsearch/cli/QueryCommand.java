package org.rhythmsearch.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import org.rhythmsearch.features.FeatureConfig;
import org.rhythmsearch.features.FeatureExtractor;
import org.rhythmsearch.json.Json;
import org.rhythmsearch.json.QueryJson;
import org.rhythmsearch.search.Aggregation;
import org.rhythmsearch.search.Indexer;
import org.rhythmsearch.search.QueryAudio;
import org.rhythmsearch.search.QueryException;
import org.rhythmsearch.search.QueryFilter;
import org.rhythmsearch.search.QueryOptions;
import org.rhythmsearch.search.QueryResult;
import org.rhythmsearch.search.QueryService;
import org.rhythmsearch.search.ScoreScale;
import org.rhythmsearch.store.Stores;
import org.rhythmsearch.store.TrackRecord;
import org.rhythmsearch.store.VectorStore;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rhythmsearch query (FILE | --track PATH_OR_ID) --index DB}: parse, one {@link QueryService} call, print. */
@Command(name = "query")
final class QueryCommand extends Cmd {

  static final class Query {
    @Parameters(index = "0", paramLabel = "FILE", description = "Query audio file.")
    Path file;

    @Option(names = "--track", paramLabel = "PATH_OR_ID",
        description = "Query with a track already in the index (its path as indexed, or its id): its stored vectors "
            + "are used, nothing is decoded.")
    String track;
  }

  @ArgGroup(exclusive = true, multiplicity = "1") Query query;

  @Mixin Options.ExistingIndex index;
  @Mixin Options.Top top;
  @Mixin Options.Metrics metric;

  @Option(names = "--aggregate", paramLabel = "RULE", defaultValue = "mean",
      description = "How excerpt similarities make a track's score: mean (each query excerpt's best match, averaged), "
          + "max (best pair) or vote (default: ${DEFAULT-VALUE}).")
  Aggregation aggregate;

  @Option(names = "--tempo-tolerance", paramLabel = "T", defaultValue = "0",
      description = "Also find tracks up to T (e.g. 0.15 = 15 %%) faster or slower by matching the query in every "
          + "rescaled version, 1 %% apart (about 2T/0.01 times the work; --tempo-align already covers 20 %% at "
          + "about twice the work). Lag-indexed features only (onset-*, beat-spectrum*); default: ${DEFAULT-VALUE}.")
  double tempoTolerance;

  @Mixin TempoAlignmentOptions align = new TempoAlignmentOptions();

  @Option(names = "--search", paramLabel = "auto|exact|approximate", defaultValue = "auto",
      description = "exact: compare with every stored excerpt; approximate: through the index's stored approximate "
          + "index (IVF or LSH, built by index --ann), which proposes candidates that are then scored exactly as exact "
          + "search scores them (tempo-aligned too), an error if it has none; auto: approximate where index --ann "
          + "measured it faster than exact search with recall@10 >= " + Indexer.AUTO_MIN_RECALL
          + ", else exact (default: ${DEFAULT-VALUE}). The answer says which search ran and its measured recall.")
  QueryOptions.Search search;

  @Option(names = "--lsh", description = "The same as --search approximate (its earlier name).")
  boolean lsh;

  @Option(names = "--tempo-range", paramLabel = "LO-HI",
      description = "Only tracks whose tempo (the median of their excerpts') is within LO-HI BPM, e.g. 90-110.")
  String tempoRange;

  @Option(names = "--exclude-same-folder",
      description = "Leave out the tracks in the query's own folder (its album, other takes of it).")
  boolean excludeSameFolder;

  @Option(names = "--start", paramLabel = "TIME",
      description = "Query with the part of FILE from TIME (seconds, m:ss or h:mm:ss); only that part is decoded.")
  String start;

  @Option(names = "--seconds", paramLabel = "S",
      description = "How long the part of FILE is, seconds (default: to the end). From 4 s: a part (or a file) "
          + "shorter than one 10-s excerpt is queried as one clip, repeated to fill an excerpt.")
  Double seconds;

  @Mixin Options.JsonOutput json;

  /** Seconds from "90", "1:30" or "1:02:03". */
  static double seconds(String time) {
    if (time == null || !time.matches("\\d+(\\.\\d+)?|\\d+:\\d{1,2}(\\.\\d+)?|\\d+:\\d{1,2}:\\d{1,2}(\\.\\d+)?")) {
      throw new IllegalArgumentException("a time is seconds, m:ss or h:mm:ss; was '" + time + "'");
    }
    double total = 0;
    for (String part : time.split(":")) {
      total = total * 60 + Double.parseDouble(part);
    }
    return total;
  }

  /** The filter of --tempo-range and --exclude-same-folder. */
  QueryFilter filter() {
    double lo = 0;
    double hi = Double.POSITIVE_INFINITY;
    if (tempoRange != null) {
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\s*(\\d+(?:\\.\\d+)?)\\s*-\\s*(\\d+(?:\\.\\d+)?)\\s*")
          .matcher(tempoRange);
      if (!m.matches() || Double.parseDouble(m.group(1)) > Double.parseDouble(m.group(2))) {
        throw usage("--tempo-range must be LO-HI in BPM with LO <= HI, e.g. 90-110; was '" + tempoRange + "'");
      }
      lo = Double.parseDouble(m.group(1));
      hi = Double.parseDouble(m.group(2));
    }
    return new QueryFilter(lo, hi, excludeSameFolder);
  }

  /** How long loading the index took beyond the query's analysis (the two run at once), seconds. */
  private double loadSeconds;

  @Override
  public Integer call() throws Exception {
    QueryFilter filter = filter();
    double from = 0;
    double length = Double.POSITIVE_INFINITY;
    if (start != null || seconds != null) {
      if (query.file == null) {
        throw usage("--start and --seconds take a part of FILE; a query by --track uses the stored excerpts");
      }
      try {
        from = start == null ? 0 : seconds(start);
      } catch (IllegalArgumentException e) {
        throw usage("--start: " + e.getMessage());
      }
      if (seconds != null && !(seconds >= FeatureExtractor.MIN_CLIP_SECONDS) || seconds != null && seconds.isInfinite()) {
        throw usage("--seconds must be at least " + (int) FeatureExtractor.MIN_CLIP_SECONDS + " (a clip; 10 or more "
            + "make whole excerpts); was " + seconds);
      }
      length = seconds == null ? Double.POSITIVE_INFINITY : seconds;
    }
    QueryOptions options;
    try {
      QueryOptions.Search how = lsh ? QueryOptions.Search.APPROXIMATE : search;
      options = new QueryOptions(top.k, aggregate, metric.metric, how, tempoTolerance, align.alignment(spec.commandLine()));
    } catch (IllegalArgumentException e) {
      throw usage("--tempo-tolerance: " + e.getMessage());
    }
    PrintWriter out = out();
    PrintWriter err = err();
    long t0 = System.nanoTime();
    QueryService service;
    ScoreScale scale;
    QueryResult r;
    try (VectorStore store = Stores.openReadOnly(index.index.toString())) {
      // a query file is decoded and analysed while another thread loads the index (the store is used by
      // that thread alone until it is done)
      FeatureConfig config = store.config();
      java.util.concurrent.FutureTask<QueryService> loading = new java.util.concurrent.FutureTask<>(
          () -> QueryService.load(store, options.search()));
      Thread loader = new Thread(loading, "load-index");
      loader.setDaemon(true);
      loader.start();
      QueryAudio extracted = null;
      QueryException failed = null;
      Exception broken = null;
      if (query.file != null) {
        try {
          extracted = QueryAudio.of(config, query.file, from, length);
        } catch (QueryException e) {
          failed = e;
        } catch (Exception e) { // reported once the loader is done with the store
          broken = e;
        }
      }
      try {
        service = loading.get();
        if (broken != null) {
          throw broken;
        }
      } catch (java.util.concurrent.ExecutionException e) {
        if (e.getCause() instanceof QueryException q) { // approximate search asked for, but no current approximate index
          err.println("rhythmsearch: " + q.getMessage());
          err.flush();
          return 2;
        }
        throw e.getCause() instanceof Exception x ? x : new IllegalStateException(e.getCause());
      }
      scale = store.note(ScoreScale.NOTE)
          .flatMap(n -> ScoreScale.fromNote(n, service.snapshot()))
          .filter(x -> x.applies(options.aggregation(), options.metric())).orElse(null);
      double loadSeconds = (System.nanoTime() - t0) / 1e9 - (extracted == null ? 0 : extracted.seconds());
      if (service.approximateProblem().isPresent()) {
        err.println("rhythmsearch: warning: " + service.approximateProblem().get() + "; so this search is exact; rebuild "
            + "it: rhythmsearch index --index " + index.index + " --ann auto");
        err.flush();
      }
      try {
        if (failed != null) {
          throw failed;
        }
        r = query.track != null ? service.queryTrack(query.track, options, filter)
            : service.query(extracted, options, filter);
      } catch (QueryException e) {
        err.println("rhythmsearch: " + e.getMessage());
        err.flush();
        return 1;
      }
      this.loadSeconds = Math.max(0, loadSeconds);
    }
    if (r.queryDamage() != null) {
      err.println("rhythmsearch: warning: " + r.query() + ": damaged, searched with the audio before the damage ("
          + r.queryDamage() + ")");
      err.flush();
    }
    if (json.json) {
      Json.write(out, QueryJson.of(r, this.loadSeconds, scale));
      return 0;
    }
    out.printf("%d tracks with a rhythm like %s (%s; feature %s, %s; %d tracks indexed):%n", r.matches().size(), r.query(),
        bpm(r.queryTempoBpm()), r.feature(), options.metric().id(), r.tracksIndexed());
    for (TrackRecord t : r.leftOut()) {
      out.printf("  (the query is indexed track %d, %s: left out)%n", t.id(), t.path());
    }
    if (!Double.isNaN(r.clipSeconds())) {
      out.printf("  (the query is a %.1f-s clip, repeated to fill one %.0f-s excerpt: clips find less than whole "
          + "excerpts; README, \"Short clips\")%n", r.clipSeconds(), service.snapshot().config().excerptSeconds());
    }
    for (QueryResult.Match m : r.matches()) {
      out.printf("%3d. %.4f%s  %s  (%s; query at %s ~ match at %s)%s%n", m.rank(), m.score(),
          scale == null ? "" : String.format(" %-15s", shortWords(scale, m.score())), m.name(),
          bpm(m.tempoBpm()), mmss(m.bestPair().queryStartSeconds()), mmss(m.bestPair().matchStartSeconds()),
          m.samePaths().isEmpty() ? "" : "; the same recording also at " + String.join(", ", m.samePaths()));
    }
    out.flush();
    if (verbose()) {
      for (QueryResult.QueryExcerpt x : r.queryExcerpts()) {
        err.printf("  query excerpt at %s: %s%n", mmss(x.startSeconds()), bpm(x.tempoBpm()));
      }
    }
    info().printf("loaded %d excerpts in %.2f s; search %.1f ms (%s)%n", r.excerptsIndexed(), this.loadSeconds,
        r.searchMillis(), r.search().equals("exact") ? r.searchMeasured() : r.search() + "; " + r.searchMeasured());
    info().flush();
    err.flush();
    return 0;
  }

  /** A score in a few words on the collection's scale: "close (top 4 %)". */
  static String shortWords(ScoreScale scale, double score) {
    String words = scale.words(score);
    double p = scale.percentile(score);
    String kind = words.substring(0, words.indexOf(':'));
    int top = (int) Math.max(1, Math.ceil((1 - p) * 100));
    return p >= 0.5 ? kind + " (top " + top + " %)" : kind;
  }

  /** Seconds as m:ss (h:mm:ss from an hour), as the web page shows offsets. */
  static String mmss(double seconds) {
    long s = Math.round(seconds);
    return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String.format("%d:%02d", s / 60, s % 60);
  }

  private static String bpm(double tempo) {
    return Double.isNaN(tempo) ? "tempo unknown" : String.format("%.0f BPM", tempo);
  }
}
