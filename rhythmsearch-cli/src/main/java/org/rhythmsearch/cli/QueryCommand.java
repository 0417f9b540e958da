package org.rhythmsearch.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rhythmsearch.features.FeatureExtractor;
import org.rhythmsearch.features.TrackFeatures;
import org.rhythmsearch.index.Metric;
import org.rhythmsearch.search.FileHash;
import org.rhythmsearch.search.TrackSearch;
import org.rhythmsearch.store.Snapshot;
import org.rhythmsearch.store.SqliteStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rhythmsearch query FILE --index DB [-k N]}. */
@Command(name = "query", mixinStandardHelpOptions = true,
    description = {
      "Rank the indexed tracks by rhythmic similarity to FILE (exact search).",
      "FILE is cut into excerpts like the indexed tracks; a track's score is, by default, the mean over FILE's",
      "excerpts of each one's best similarity with the track's excerpts (--aggregate).",
      "FILE itself (same content) is left out when it is in the index."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:results printed", "1:FILE could not be decoded or gave no vector", "2:usage error or unusable index"})
final class QueryCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "Query audio file.")
  Path file;

  @Option(names = "--index", required = true, paramLabel = "DB", description = "Index file.")
  Path index;

  @Option(names = {"-k", "--top"}, paramLabel = "N", defaultValue = "10", description = "Number of tracks (default: ${DEFAULT-VALUE}).")
  int k;

  @Option(names = "--metric", paramLabel = "NAME", defaultValue = "cosine",
      description = "cosine, euclidean or l1 (default: ${DEFAULT-VALUE}).")
  String metric;

  @Option(names = "--aggregate", paramLabel = "RULE", defaultValue = "mean",
      description = "How excerpt similarities make a track's score: mean (each query excerpt's best match, averaged), "
          + "max (best pair) or vote (default: ${DEFAULT-VALUE}).")
  String aggregate;

  @Option(names = "--tempo-tolerance", paramLabel = "T", defaultValue = "0",
      description = "Also find tracks up to T (e.g. 0.15 = 15 %%) faster or slower: the query is matched in rescaled "
          + "versions. Lag-indexed features only (onset-*, beat-spectrum*); default: ${DEFAULT-VALUE}.")
  double tempoTolerance;

  @CommandLine.Mixin TempoAlignmentOptions align = new TempoAlignmentOptions();

  @Option(names = "--lsh", description = "Search through the stored LSH index (built by index --lsh) instead of exactly "
      + "(not tempo-aligned).")
  boolean lsh;

  @Option(names = "--json", description = "Write one JSON document to stdout.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    if (k < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(), "-k must be >= 1; k=" + k);
    }
    Metric m;
    org.rhythmsearch.search.Aggregation agg;
    try {
      m = Metric.byId(metric);
      agg = org.rhythmsearch.search.Aggregation.byId(aggregate);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    org.rhythmsearch.search.TempoAlignment alignment = align.alignment(spec.commandLine());
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    long t0 = System.nanoTime();
    Snapshot snap;
    org.rhythmsearch.index.LshIndex lshIndex = null;
    try (SqliteStore store = SqliteStore.openExisting(index)) {
      snap = store.snapshot();
      if (lsh) {
        lshIndex = store.lshIndex(snap).orElseThrow(() -> new org.rhythmsearch.store.StoreException(
            index + ": no current LSH index (none built, or tracks changed since); run: rhythmsearch index ... --index "
                + index + " --lsh"));
      }
    }
    long t1 = System.nanoTime();
    TrackFeatures q = new FeatureExtractor(snap.config()).track(file, snap.config().excerptSeconds());
    if (q.problem() != null) {
      err.println("rhythmsearch: " + file + ": " + q.problem());
      return 1;
    }
    long t2 = System.nanoTime();
    List<TrackSearch.Hit> hits = new TrackSearch(snap, lshIndex).query(q, FileHash.sha256(file), null, k, m, agg, tempoTolerance,
        alignment);
    long t3 = System.nanoTime();
    if (json) {
      List<Map<String, Object>> results = new ArrayList<>();
      for (TrackSearch.Hit h : hits) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("track", h.track().path());
        r.put("score", h.score());
        r.put("queryOffsetSeconds", h.queryOffsetSeconds());
        r.put("matchOffsetSeconds", h.matchOffsetSeconds());
        r.put("tempoBpm", Json.finiteOrNull(h.tempoBpm()));
        results.add(r);
      }
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("query", file.toString());
      doc.put("feature", snap.config().id());
      doc.put("metric", m.id());
      doc.put("aggregation", agg.id());
      doc.put("search", lshIndex == null ? "exact" : "lsh " + lshIndex.params());
      doc.put("tempoAlignment", align.describe());
      doc.put("queryTempoBpm", Json.finiteOrNull(q.tempoBpm()));
      doc.put("tracks", snap.tracks().size());
      doc.put("excerpts", snap.vectors().rows());
      doc.put("queryExcerpts", q.excerpts().size());
      doc.put("loadSeconds", (t1 - t0) / 1e9);
      doc.put("extractSeconds", (t2 - t1) / 1e9);
      doc.put("searchMillis", (t3 - t2) / 1e6);
      doc.put("results", results);
      Json.write(out, doc);
    } else {
      out.printf("%d tracks with a rhythm like %s (%s; feature %s, %s; %d tracks indexed):%n", hits.size(), file,
          bpm(q.tempoBpm()), snap.config().id(), m.id(), snap.tracks().size());
      int rank = 1;
      for (TrackSearch.Hit h : hits) {
        out.printf("%3d. %.4f  %s  (%s; query at %.0f s ~ match at %.0f s)%n", rank++, h.score(), h.track().path(),
            bpm(h.tempoBpm()), h.queryOffsetSeconds(), h.matchOffsetSeconds());
      }
      out.flush();
      err.printf("loaded %d excerpts in %.2f s; search %.1f ms%n", snap.vectors().rows(), (t1 - t0) / 1e9, (t3 - t2) / 1e6);
    }
    err.flush();
    return 0;
  }

  private static String bpm(double tempo) {
    return Double.isNaN(tempo) ? "tempo unknown" : String.format("%.0f BPM", tempo);
  }
}
