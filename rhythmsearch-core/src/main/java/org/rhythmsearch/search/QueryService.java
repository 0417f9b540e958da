package org.rhythmsearch.search;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.rhythmsearch.audio.AudioDecodeException;
import org.rhythmsearch.features.ExcerptVector;
import org.rhythmsearch.features.FeatureConfig;
import org.rhythmsearch.features.FeatureExtractor;
import org.rhythmsearch.features.TempoEstimator;
import org.rhythmsearch.features.TrackFeatures;
import org.rhythmsearch.index.ApproximateIndex;
import org.rhythmsearch.index.VectorEncoding;
import org.rhythmsearch.store.Snapshot;
import org.rhythmsearch.store.StoreException;
import org.rhythmsearch.store.TrackRecord;
import org.rhythmsearch.store.VectorStore;

/**
 * The one query path every front end calls: a loaded index answers queries given as an audio file,
 * as a track already in the index (its stored vectors, no decoding), or as vectors, with
 * {@link QueryOptions}, in {@link QueryResult}s. The query's own content (same hash) is left out.
 *
 * <p>Thread-safe: the loaded index is immutable and every query uses its own feature extractor.
 */
public final class QueryService {

  private final Snapshot snapshot;
  private final ApproximateIndex ann;
  private final String approximateProblem;
  /** What the approximate index measured as query searches ({@link AnnCheck}), or null when not measured. */
  private final AnnCheck.Measured measured;
  private final TrackSearch exact;
  private final TrackSearch viaAnn;
  /** The recordings held by several files ({@code dedupe}), or null when not known for these rows. */
  private final Recordings recordings;
  private final Map<String, Integer> trackByPath = new HashMap<>();
  private final Map<Long, Integer> trackById = new HashMap<>();
  /** Rows grouped by track: track t's rows are {@code rowsByTrack[firstRow[t] .. firstRow[t + 1])}. */
  private final int[] firstRow;
  private final int[] rowsByTrack;

  /**
   * A service over {@code snapshot}, with {@code ann} (LSH or IVF, built over the same rows) for
   * approximate queries ({@link QueryOptions#search()}), or null when there is none.
   */
  public QueryService(Snapshot snapshot, ApproximateIndex ann) {
    this(snapshot, ann, null, null, null);
  }

  /**
   * A service over {@code snapshot} with {@code ann} and what it measured ({@code measured}, for the
   * rows of {@code snapshot}, or null): {@link QueryOptions.Search#AUTO} then searches through it only
   * where {@link Indexer#usedByAuto} says so.
   */
  public QueryService(Snapshot snapshot, ApproximateIndex ann, AnnCheck.Measured measured) {
    this(snapshot, ann, null, measured, null);
  }

  private QueryService(Snapshot snapshot, ApproximateIndex ann, String approximateProblem, AnnCheck.Measured measured,
      Recordings recordings) {
    this.snapshot = snapshot;
    this.ann = ann;
    this.approximateProblem = approximateProblem;
    this.measured = measured;
    this.recordings = recordings;
    this.exact = new TrackSearch(snapshot, null, recordings);
    this.viaAnn = ann == null ? null : new TrackSearch(snapshot, ann, recordings);
    List<TrackRecord> tracks = snapshot.tracks();
    for (int t = 0; t < tracks.size(); t++) {
      trackByPath.put(tracks.get(t).path(), t);
      trackById.put(tracks.get(t).id(), t);
    }
    firstRow = new int[tracks.size() + 1];
    for (int t : snapshot.excerptTrack()) {
      firstRow[t + 1]++;
    }
    for (int t = 0; t < tracks.size(); t++) {
      firstRow[t + 1] += firstRow[t];
    }
    rowsByTrack = new int[snapshot.excerptTrack().length];
    int[] fill = java.util.Arrays.copyOf(firstRow, tracks.size());
    for (int r = 0; r < rowsByTrack.length; r++) {
      rowsByTrack[fill[snapshot.excerptTrack()[r]]++] = r;
    }
  }

  /**
   * Loads the index in {@code store}; with {@code approximate}, also its stored approximate index (IVF
   * or LSH), which must be current.
   *
   * @throws QueryException when {@code approximate} is asked for and the store has no current one
   */
  public static QueryService load(VectorStore store, boolean approximate) throws StoreException, QueryException {
    return load(store, approximate ? QueryOptions.Search.APPROXIMATE : QueryOptions.Search.EXACT);
  }

  /**
   * Loads the index in {@code store} for queries with {@code search}: {@link QueryOptions.Search#EXACT}
   * loads only the vectors; {@link QueryOptions.Search#AUTO} also the stored approximate index if it is
   * current; {@link QueryOptions.Search#APPROXIMATE} requires it.
   *
   * @throws QueryException when the approximate index is required and the store has no current one
   */
  public static QueryService load(VectorStore store, QueryOptions.Search search) throws StoreException, QueryException {
    Snapshot snap = store.snapshot();
    ApproximateIndex index = null;
    String problem = null;
    if (search != QueryOptions.Search.EXACT) {
      try {
        index = store.approximateIndex(snap).orElse(null);
      } catch (StoreException e) {
        if (search == QueryOptions.Search.APPROXIMATE) {
          throw e;
        }
        problem = e.getMessage(); // auto: a damaged approximate index leaves exact search, said so
      }
      if (index == null && search == QueryOptions.Search.APPROXIMATE) {
        throw new QueryException(store.location() + ": no current approximate index (none built, or tracks changed "
            + "since); run: rhythmsearch index ... --index " + store.location() + " --ann auto");
      }
      if (index == null && problem == null && store.approximateStored()) {
        problem = store.location() + ": its approximate index is stale (tracks changed since it was built)";
      }
    }
    AnnCheck.Measured m = null;
    if (index != null) {
      ApproximateIndex.Kind kind = index.kind();
      m = store.note(AnnCheck.NOTE).flatMap(AnnCheck.Measured::fromNote)
          .filter(x -> x.covers(snap) && x.kind().equals(kind.id())).orElse(null);
    }
    Recordings recordings = store.note(Recordings.NOTE).flatMap(n -> Recordings.fromNote(n, snap)).orElse(null);
    return new QueryService(snap, index, problem, m, recordings);
  }

  /**
   * Whether {@link QueryOptions.Search#AUTO} searches through the approximate index: one is loaded, and
   * it was measured faster than exact search with enough recall ({@link Indexer#usedByAuto}).
   */
  public boolean autoUsesApproximate() {
    return ann != null && measured != null && Indexer.usedByAuto(measured);
  }

  /** What the loaded approximate index measured as query searches, if it was measured. */
  public Optional<AnnCheck.Measured> measured() {
    return Optional.ofNullable(measured);
  }

  /** The loaded index. */
  public Snapshot snapshot() {
    return snapshot;
  }

  /** Whether approximate queries can be answered (an LSH or IVF index is loaded). */
  public boolean hasApproximate() {
    return ann != null;
  }

  /**
   * Why {@link #load} with {@link QueryOptions.Search#AUTO} found no usable approximate index though one
   * is stored: stale (tracks changed since it was built) or damaged; queries then run exactly. Empty
   * when there is nothing to say.
   */
  public Optional<String> approximateProblem() {
    return Optional.ofNullable(approximateProblem);
  }

  /** The loaded approximate index, if any. */
  public Optional<ApproximateIndex> approximate() {
    return Optional.ofNullable(ann);
  }

  /** Why the search of a query with options {@code o} ran as it did, in one line. */
  private String searchMeasured(QueryOptions o, boolean approximate) {
    if (approximate) {
      return measured == null ? "approximate index not measured against exact search (built by an earlier version or "
          + "on too few tracks); rebuild with: rhythmsearch index --ann auto" : "measured: " + measured.describe();
    }
    if (ann == null || o.search() == QueryOptions.Search.EXACT) {
      return "exact: every excerpt compared";
    }
    return measured == null ? "exact: the approximate index was not measured against exact search (rebuild it with "
        + "index --ann auto; --search approximate uses it as it is)"
        : "exact: the approximate index measured " + measured.describe() + ", so auto searches exactly";
  }

  /**
   * The indexed track {@code pathOrId} names: its stored path, the path as given to {@code index}
   * (normalised like {@link Indexer#key}), or its numeric id.
   */
  public Optional<TrackRecord> track(String pathOrId) {
    Integer t = trackIndex(pathOrId);
    return t == null ? Optional.empty() : Optional.of(snapshot.tracks().get(t));
  }

  private Integer trackIndex(String pathOrId) {
    Integer t = trackByPath.get(pathOrId);
    if (t == null) {
      try {
        t = trackByPath.get(Indexer.key(Path.of(pathOrId)));
      } catch (java.nio.file.InvalidPathException ignored) {
        // not a path: perhaps an id
      }
    }
    if (t == null && pathOrId.matches("\\d{1,18}")) {
      t = trackById.get(Long.parseLong(pathOrId));
    }
    return t;
  }

  /**
   * Decodes and analyses {@code audio} and ranks the indexed tracks against it.
   *
   * @throws AudioDecodeException when the file cannot be decoded
   * @throws QueryException when it gives no vector (too short, silent) or the search is not available
   */
  public QueryResult query(Path audio, QueryOptions options) throws IOException, QueryException {
    return query(audio, options, QueryFilter.NONE);
  }

  /** As {@link #query(Path, QueryOptions)}, answering only tracks {@code filter} lets through. */
  public QueryResult query(Path audio, QueryOptions options, QueryFilter filter) throws IOException, QueryException {
    return query(audio, options, filter, 0, Double.POSITIVE_INFINITY);
  }

  /**
   * As {@link #query(Path, QueryOptions, QueryFilter)}, with the part of {@code audio} from {@code fromSeconds}
   * lasting {@code seconds} (infinite: to the end), which alone is decoded. A part (or a file) shorter
   * than one excerpt but at least {@link FeatureExtractor#MIN_CLIP_SECONDS} long is queried as one clip
   * ({@link FeatureExtractor#clip}; the answer's {@link QueryResult#clipSeconds()} says so).
   */
  public QueryResult query(Path audio, QueryOptions options, QueryFilter filter, double fromSeconds, double seconds)
      throws IOException, QueryException {
    return query(QueryAudio.of(snapshot.config(), audio, fromSeconds, seconds), options, filter);
  }

  /** Ranks the indexed tracks against a query file's excerpts made by {@link QueryAudio#of}. */
  public QueryResult query(QueryAudio e, QueryOptions options, QueryFilter filter) throws QueryException {
    if (!e.features().config().canonical().equals(snapshot.config().canonical())) {
      throw new IllegalArgumentException("the query was analysed with " + e.features().config().id() + "; the index holds "
          + snapshot.config().id());
    }
    TrackFeatures held = held(e.features());
    return answer(e.audio().toString(), held, e.hash(), options, e.seconds(), filter,
        recordings == null ? List.of() : Recordings.sameAs(snapshot, held));
  }

  /**
   * Ranks the indexed tracks against the stored vectors of the indexed track {@code pathOrId} (see
   * {@link #track}); that track itself is left out.
   *
   * @throws QueryException when no such track is indexed, or it has no vectors
   */
  public QueryResult queryTrack(String pathOrId, QueryOptions options) throws QueryException {
    return queryTrack(pathOrId, options, QueryFilter.NONE);
  }

  /** As {@link #queryTrack(String, QueryOptions)}, answering only tracks {@code filter} lets through. */
  public QueryResult queryTrack(String pathOrId, QueryOptions options, QueryFilter filter) throws QueryException {
    Integer t = trackIndex(pathOrId);
    if (t == null) {
      throw new QueryException(pathOrId + ": no such track in the index (give its path as indexed, or its id)");
    }
    TrackRecord record = snapshot.tracks().get(t);
    if (firstRow[t] == firstRow[t + 1]) {
      throw new QueryException(record.path() + ": the track has no vectors in the index ("
          + (record.problem() == null ? "none stored" : record.problem()) + ")");
    }
    return answer(record.path(), stored(t), record.hash(), options, 0, filter, List.of());
  }

  /**
   * The stored excerpts (start, tempo, vector) of the indexed track {@code pathOrId} (see
   * {@link #track}), by start time; empty when no such track is indexed.
   */
  public Optional<TrackFeatures> trackFeatures(String pathOrId) {
    Integer t = trackIndex(pathOrId);
    return t == null ? Optional.empty() : Optional.of(stored(t));
  }

  /**
   * The tempo of the indexed track {@code pathOrId}: the median of its excerpts' tempi, BPM (NaN when
   * unknown or no such track), read from the snapshot without copying its vectors.
   */
  public double trackTempoBpm(String pathOrId) {
    Integer t = trackIndex(pathOrId);
    if (t == null) {
      return Double.NaN;
    }
    return trackTempo(t);
  }

  private TrackFeatures stored(int t) {
    TrackRecord record = snapshot.tracks().get(t);
    List<ExcerptVector> excerpts = new ArrayList<>();
    for (int i = firstRow[t]; i < firstRow[t + 1]; i++) {
      int r = rowsByTrack[i];
      excerpts.add(new ExcerptVector(snapshot.excerptStart()[r], snapshot.vectors().row(r), snapshot.excerptTempo()[r]));
    }
    return new TrackFeatures(record.path(), snapshot.config(), record.durationSeconds(),
        snapshot.config().excerptSeconds(), excerpts, List.of());
  }

  /**
   * Ranks the indexed tracks against {@code query}'s vectors.
   *
   * @param excludeHash content hash of tracks to leave out (the query's own), or null
   * @throws QueryException when the query has no vectors or the search is not available
   * @throws IllegalArgumentException when the vectors were made with another feature configuration
   */
  public QueryResult query(TrackFeatures query, String excludeHash, QueryOptions options) throws QueryException {
    if (query.excerpts().isEmpty()) {
      throw new QueryException(query.source() + ": the query has no vectors");
    }
    return answer(query.source(), held(query), excludeHash, options, 0, QueryFilter.NONE, List.of());
  }

  /**
   * {@code f} with its vectors as the index holds its own ({@link VectorEncoding#held}): a file's excerpts
   * then score exactly as the same excerpts stored do.
   */
  private TrackFeatures held(TrackFeatures f) {
    VectorEncoding encoding = snapshot.vectors().encoding();
    if (encoding == VectorEncoding.FLOAT32) {
      return f;
    }
    List<ExcerptVector> excerpts = new ArrayList<>(f.excerpts().size());
    for (ExcerptVector x : f.excerpts()) {
      excerpts.add(new ExcerptVector(x.startSeconds(), encoding.held(x.vector()), x.tempoBpm()));
    }
    return new TrackFeatures(f.source(), f.config(), f.durationSeconds(), f.hopSeconds(), excerpts, f.skipped(),
        f.damage());
  }

  /** The median tempo of track index {@code t}'s excerpts (NaN when unknown). */
  private double trackTempo(int t) {
    double[] tempi = new double[firstRow[t + 1] - firstRow[t]];
    for (int i = 0; i < tempi.length; i++) {
      tempi[i] = snapshot.excerptTempo()[rowsByTrack[firstRow[t] + i]];
    }
    return TempoEstimator.median(tempi);
  }

  /**
   * Ranks the tracks against {@code q}: tracks with the content {@code excludeHash} (and the other files
   * of their recording, when known) and the tracks {@code sameRecording} are left out, and said to be.
   */
  private QueryResult answer(String label, TrackFeatures q, String excludeHash, QueryOptions o, double extractSeconds,
      QueryFilter filter, List<TrackRecord> sameRecording)
      throws QueryException {
    if (o.search() == QueryOptions.Search.APPROXIMATE && ann == null) {
      throw new QueryException(label + ": approximate search asked for, but the index was loaded without an approximate "
          + "index");
    }
    boolean approximate = o.search() == QueryOptions.Search.APPROXIMATE
        || (o.search() == QueryOptions.Search.AUTO && autoUsesApproximate());
    long t0 = System.nanoTime();
    java.util.function.IntPredicate skip = filter.excludedRows(snapshot, this::trackTempo, label);
    List<TrackRecord> leftOut = leftOut(excludeHash, sameRecording);
    if (!sameRecording.isEmpty()) {
      java.util.Set<Long> ids = new java.util.HashSet<>();
      sameRecording.forEach(t -> ids.add(t.id()));
      int[] rowTrack = snapshot.excerptTrack();
      List<TrackRecord> tracks = snapshot.tracks();
      java.util.function.IntPredicate same = r -> ids.contains(tracks.get(rowTrack[r]).id());
      skip = skip == null ? same : skip.or(same);
    }
    List<TrackSearch.Hit> hits = (approximate ? viaAnn : exact).query(q, excludeHash, skip, o.k(),
        o.metric(),
        o.aggregation(), o.tempoTolerance(), o.alignment());
    double millis = (System.nanoTime() - t0) / 1e6;
    List<QueryResult.Match> matches = new ArrayList<>();
    for (TrackSearch.Hit h : hits) {
      matches.add(new QueryResult.Match(matches.size() + 1, h.track(), h.score(), h.tempoBpm(),
          new QueryResult.ExcerptPair(h.queryOffsetSeconds(), h.matchOffsetSeconds(), h.pairScore()),
          List.copyOf(h.samePaths()), name(h.track())));
    }
    List<QueryResult.QueryExcerpt> excerpts = new ArrayList<>();
    for (ExcerptVector x : q.excerpts()) {
      excerpts.add(new QueryResult.QueryExcerpt(x.startSeconds(), x.tempoBpm()));
    }
    return new QueryResult(label, snapshot.config().id(), o, approximate ? ann.describe() : "exact",
        approximate ? (measured == null ? Double.NaN : measured.recallAtK()) : 1, searchMeasured(o, approximate),
        q.tempoBpm(),
        excerpts, snapshot.tracks().size(), snapshot.vectors().rows(), matches, extractSeconds, millis,
        q.damage() == null ? null : q.damage().reason(), leftOut,
        !q.excerpts().isEmpty() && q.durationSeconds() < snapshot.config().excerptSeconds() ? q.durationSeconds()
            : Double.NaN);
  }

  private volatile TrackNames names;

  /**
   * The name people recognise for an indexed track: "Artist - Title" from its tags, or the shortest
   * ending of its path no other indexed path shares ({@link TrackNames#of}), computed once per loaded index.
   */
  public String name(TrackRecord t) {
    TrackNames n = names;
    if (n == null) {
      n = TrackNames.of(snapshot.tracks());
      names = n;
    }
    return n.name(t.path());
  }

  /**
   * The indexed tracks an answer leaves out as the query's own: those with content hash {@code hash}
   * (none for null) and the other files of their recording when known, and {@code sameRecording}.
   */
  private List<TrackRecord> leftOut(String hash, List<TrackRecord> sameRecording) {
    java.util.Set<String> keys = new java.util.HashSet<>();
    if (hash != null) {
      for (TrackRecord t : snapshot.tracks()) {
        if (hash.equals(t.hash())) {
          keys.add(recordings == null ? t.hash() : recordings.key(t));
        }
      }
    }
    java.util.Set<Long> same = new java.util.HashSet<>();
    sameRecording.forEach(t -> same.add(t.id()));
    List<TrackRecord> out = new ArrayList<>();
    for (TrackRecord t : snapshot.tracks()) {
      if (keys.contains(recordings == null ? t.hash() : recordings.key(t)) || same.contains(t.id())) {
        out.add(t);
      }
    }
    return out;
  }
}
