package org.rhythmsearch.search;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.rhythmsearch.features.ExcerptVector;
import org.rhythmsearch.features.TrackFeatures;
import org.rhythmsearch.index.ApproximateIndex;
import org.rhythmsearch.index.HeldOut;
import org.rhythmsearch.index.VectorMatrix;
import org.rhythmsearch.store.Snapshot;

/**
 * What an approximate index does to the answers {@code query} gives, measured as {@code query} runs:
 * whole tracks are held out of the index ({@link HeldOut#rows}: about {@value HeldOut#QUERIES} excerpts,
 * at most a fifth), an index of the same kind and parameters is built over the rest, and each held-out
 * track queries it through exact search and through the approximate index with the same options (by
 * default those of {@code query}: 10 tracks, mean, tempo-aligned). Recall@k is the share of exact
 * search's top k tracks in the approximate answer; speed-up is exact time over approximate time.
 *
 * <p>Stateless; thread-safe.
 */
public final class AnnCheck {

  /** The key of the note ({@link org.rhythmsearch.store.VectorStore#saveNote}) an index's measurement is kept under. */
  public static final String NOTE = "approximate";

  private AnnCheck() {}

  /**
   * One measurement.
   *
   * @param kind the approximate index's kind ({@code none} when auto chose exact search without one)
   * @param params its parameters ({@link ApproximateIndex#describe()})
   * @param rowFingerprint the {@link Snapshot#rowFingerprint()} of the index it was measured for
   * @param recallAtK recall of exact search's top k tracks (NaN when not measured)
   * @param k the answers per query
   * @param speedup exact time over approximate time (NaN when not measured)
   * @param queries held-out tracks queried
   * @param reason for {@code none}: why exact search was kept
   */
  public record Measured(String kind, String params, long rowFingerprint, double recallAtK, int k, double speedup,
      int queries, String reason) {

    /** Whether it was measured on the rows of {@code snapshot}. */
    public boolean covers(Snapshot snapshot) {
      return rowFingerprint == snapshot.rowFingerprint();
    }

    /** Whether {@code auto} searches through the approximate index: measured faster than exact search. */
    public boolean faster() {
      return !kind.equals("none") && speedup > 1;
    }

    /** One line, e.g. "recall@10 0.970 of exact aligned search's tracks on 12 held-out tracks, 35.2x faster". */
    public String describe() {
      if (kind.equals("none")) {
        return reason;
      }
      return String.format(Locale.ROOT, "recall@%d %.3f of exact search's tracks (as query searches by default) on "
          + "%d held-out %s, %.1fx as fast", k, recallAtK, queries, queries == 1 ? "track" : "tracks", speedup);
    }

    /** The note form: {@code key=value} pairs separated by {@code ;} (values without {@code ;}). */
    public String toNote() {
      Map<String, String> m = new LinkedHashMap<>();
      m.put("kind", kind);
      m.put("params", params);
      m.put("rowFingerprint", Long.toString(rowFingerprint));
      m.put("recallAtK", Double.toString(recallAtK));
      m.put("k", Integer.toString(k));
      m.put("speedup", Double.toString(speedup));
      m.put("queries", Integer.toString(queries));
      m.put("reason", reason == null ? "" : reason);
      StringBuilder b = new StringBuilder();
      m.forEach((key, v) -> b.append(b.length() == 0 ? "" : ";").append(key).append('=').append(v.replace(';', ',')));
      return b.toString();
    }

    /** A note read back, or empty when it is not one (a note of another version is ignored, not trusted). */
    public static Optional<Measured> fromNote(String note) {
      Map<String, String> m = new LinkedHashMap<>();
      for (String part : note.split(";", -1)) {
        int eq = part.indexOf('=');
        if (eq > 0) {
          m.put(part.substring(0, eq), part.substring(eq + 1));
        }
      }
      try {
        return Optional.of(new Measured(m.get("kind"), m.get("params"), Long.parseLong(m.get("rowFingerprint")),
            Double.parseDouble(m.get("recallAtK")), Integer.parseInt(m.get("k")), Double.parseDouble(m.get("speedup")),
            Integer.parseInt(m.get("queries")), m.getOrDefault("reason", "")));
      } catch (RuntimeException e) {
        return Optional.empty();
      }
    }
  }

  /**
   * Measures an approximate index of the kind {@code build} makes (over the rows given) on {@code
   * snapshot}, queried with {@code options}; null when no track can be held out.
   */
  public static Measured measure(Snapshot snapshot, Function<VectorMatrix, ApproximateIndex> build,
      QueryOptions options, long seed) {
    int n = snapshot.vectors().rows();
    boolean[] held = HeldOut.rows(n, snapshot.excerptTrack(), seed);
    int heldRows = 0;
    for (boolean h : held) {
      heldRows += h ? 1 : 0;
    }
    if (heldRows == 0 || heldRows == n) {
      return null;
    }
    int dim = snapshot.vectors().dim();
    int[] kept = new int[n - heldRows];
    int[] track = new int[n - heldRows];
    float[] start = new float[n - heldRows];
    float[] tempo = new float[n - heldRows];
    Map<Integer, List<ExcerptVector>> queries = new LinkedHashMap<>();
    for (int r = 0, b = 0; r < n; r++) {
      int t = snapshot.excerptTrack()[r];
      if (held[r]) {
        queries.computeIfAbsent(t, x -> new ArrayList<>()).add(new ExcerptVector(snapshot.excerptStart()[r],
            snapshot.vectors().row(r), snapshot.excerptTempo()[r]));
        continue;
      }
      kept[b] = r;
      track[b] = t;
      start[b] = snapshot.excerptStart()[r];
      tempo[b++] = snapshot.excerptTempo()[r];
    }
    Snapshot base = new Snapshot(snapshot.config(), snapshot.tracks(), snapshot.vectors().select(kept), track, start,
        tempo);
    ApproximateIndex ann = build.apply(base.vectors());
    TrackSearch exact = new TrackSearch(base);
    TrackSearch approximate = new TrackSearch(base, ann);
    List<TrackFeatures> qs = new ArrayList<>();
    for (Map.Entry<Integer, List<ExcerptVector>> e : queries.entrySet()) {
      qs.add(new TrackFeatures(snapshot.tracks().get(e.getKey()).path(), snapshot.config(),
          snapshot.tracks().get(e.getKey()).durationSeconds(), snapshot.config().excerptSeconds(), e.getValue(),
          List.of()));
    }
    Run e = run(exact, qs, options);
    Run a = run(approximate, qs, options);
    double found = 0;
    for (int q = 0; q < qs.size(); q++) {
      Set<Long> truth = e.top().get(q);
      found += truth.isEmpty() ? 1 : a.top().get(q).stream().filter(truth::contains).count() / (double) truth.size();
    }
    return new Measured(ann.kind().id(), ann.describe(), snapshot.rowFingerprint(), found / qs.size(), options.k(),
        e.seconds() / a.seconds(), qs.size(), "");
  }

  /** Each query's answer (track ids) and the time of all of them (each query warmed up once first). */
  private record Run(List<Set<Long>> top, double seconds) {}

  private static Run run(TrackSearch search, List<TrackFeatures> qs, QueryOptions o) {
    search.query(qs.get(0), null, null, o.k(), o.metric(), o.aggregation(), o.tempoTolerance(), o.alignment());
    List<Set<Long>> top = new ArrayList<>();
    long t0 = System.nanoTime();
    for (TrackFeatures q : qs) {
      Set<Long> ids = new HashSet<>();
      for (TrackSearch.Hit h : search.query(q, null, null, o.k(), o.metric(), o.aggregation(), o.tempoTolerance(),
          o.alignment())) {
        ids.add(h.track().id());
      }
      top.add(ids);
    }
    return new Run(top, Math.max(1e-9, (System.nanoTime() - t0) / 1e9));
  }
}
