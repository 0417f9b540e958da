package org.rhythmsearch.search;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.rhythmsearch.audio.AudioDecodeException;
import org.rhythmsearch.audio.AudioDecoder;
import org.rhythmsearch.audio.AudioStream;
import org.rhythmsearch.audio.Tags;
import org.rhythmsearch.features.FeatureExtractor;
import org.rhythmsearch.features.PerFile;
import org.rhythmsearch.features.TrackFeatures;
import org.rhythmsearch.index.ApproximateIndex;
import org.rhythmsearch.index.IvfIndex;
import org.rhythmsearch.index.IvfTuner;
import org.rhythmsearch.index.LshIndex;
import org.rhythmsearch.index.LshTuner;
import org.rhythmsearch.index.VectorMatrix;
import org.rhythmsearch.store.Snapshot;
import org.rhythmsearch.store.StoreException;
import org.rhythmsearch.store.TrackRecord;
import org.rhythmsearch.store.VectorStore;
import org.rhythmsearch.util.Checks;

/**
 * Adds audio files to an index: files whose size and modification time match their stored record are
 * skipped; new and changed files are hashed and analysed on {@code threads} worker threads and
 * written in transactions of {@code batchSize} tracks, in input order. An interrupted run (crash,
 * kill, power loss) keeps every committed batch; running again resumes where it stopped because
 * committed files are then unchanged.
 *
 * <p>Files that cannot be decoded are reported and not stored (the next run tries them again); files
 * that decode but give no vector (too short, silent) are stored with their reason and zero excerpts,
 * so they are not re-analysed until they change.
 *
 * <p>Not thread-safe; one run at a time per store.
 */
public final class Indexer {

  /** Computes a file's features (the default loads, resamples and extracts; tests inject failures). */
  @FunctionalInterface
  public interface Extractor {
    TrackFeatures extract(Path file) throws AudioDecodeException;
  }

  /** Told about every file as it is finished, in input order. */
  @FunctionalInterface
  public interface Listener {
    /**
     * @param status "added", "updated", "unchanged", "no vectors: …" or "failed: …"; "added" and
     *     "updated" end in "(damaged: …)" or "(warning: …)" for a file indexed up to damage in its stream
     */
    void finished(Path file, String status);
  }

  /** A file that could not be indexed. */
  public record Failure(String path, String reason) {}

  /**
   * What a run did. {@code damaged} lists the files indexed although their stream was damaged (ended
   * early or failed mid-way): their vectors are those before the damage, and the track records the
   * damage as its problem; {@code warnings} the files only a little short (at most 1 s or 1 %), indexed
   * as whole.
   */
  public record Summary(int added, int updated, int unchanged, int excerpts, double audioSeconds,
      List<Failure> failures, List<Failure> noVectors, List<Failure> damaged, List<Failure> warnings,
      List<Relinked> relinked) {
    /** Files that were given but not indexed with vectors. */
    public int problems() {
      return failures.size() + noVectors.size();
    }
  }

  /**
   * A track recognised by its content without decoding: a file of a track whose file is gone (moved or
   * renamed: {@code from} its old path), or a track's own file with a new modification time ({@code from}
   * equal to {@code to}).
   */
  public record Relinked(String from, String to) {}

  private final VectorStore store;
  private final int threads;
  private final int batchSize;
  private final Extractor extractor;

  /** An indexer with the store's feature configuration, one worker per core, batches of 16 tracks. */
  public Indexer(VectorStore store) {
    this(store, Runtime.getRuntime().availableProcessors(), 16, null);
  }

  /**
   * An indexer with the store's feature configuration, tracks up to {@code maxSeconds} long (longer ones
   * fail, named, and the batch goes on).
   */
  public Indexer(VectorStore store, int threads, int batchSize, double maxSeconds) {
    this(store, threads, batchSize, extractor(store, maxSeconds));
  }

  private static Extractor extractor(VectorStore store, double maxSeconds) {
    ThreadLocal<FeatureExtractor> perThread = ThreadLocal.withInitial(() -> new FeatureExtractor(store.config()));
    double hop = store.config().excerptSeconds();
    return file -> perThread.get().track(file, hop, maxSeconds);
  }

  /**
   * @param threads worker threads, {@code >= 1}
   * @param batchSize tracks per transaction, {@code >= 1}
   * @param extractor feature source, or null for the store's feature configuration
   */
  public Indexer(VectorStore store, int threads, int batchSize, Extractor extractor) {
    this.store = store;
    this.threads = Checks.atLeastOne(threads, "threads");
    this.batchSize = Checks.atLeastOne(batchSize, "batchSize");
    this.extractor = extractor != null ? extractor : extractor(store, AudioStream.DEFAULT_MAX_SECONDS);
  }

  /** Canonical form of a path as stored: absolute and normalised. */
  public static String key(Path file) {
    return file.toAbsolutePath().normalize().toString();
  }

  /** Indexes {@code files} (already expanded from folders). */
  public Summary index(List<Path> files, Listener listener) throws StoreException {
    List<TrackRecord> old = new ArrayList<>(); // read here: the store is used from this thread only
    for (Path f : files) {
      old.add(store.track(key(f)).orElse(null));
    }
    // tracks whose file is gone, by size: a new file of the same size and content is one of them moved
    java.util.Map<Long, List<TrackRecord>> gone = new java.util.HashMap<>();
    if (store.canRelink() && old.contains(null)) {
      for (TrackRecord t : store.tracks()) {
        if (t.hash() != null && !Files.exists(Path.of(t.path()))) {
          gone.computeIfAbsent(t.size(), x -> new ArrayList<>()).add(t);
        }
      }
    }
    java.util.Set<String> claimed = java.util.concurrent.ConcurrentHashMap.newKeySet();
    Tally tally = new Tally();
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < files.size(); i++) {
      order.add(i);
    }
    try {
      PerFile.run(order, threads, i -> analyse(files.get(i), old.get(i), gone, claimed), (i, w) -> {
        if (w.relink != null) {
          store.relink(w.relink.from(), w.relinkTo);
        }
        String status = tally.count(files.get(i), w);
        if (tally.batch.size() >= batchSize) {
          store.write(tally.batch);
          tally.batch.clear();
        }
        if (listener != null) {
          listener.finished(files.get(i), status);
        }
      });
      if (!tally.batch.isEmpty()) {
        store.write(tally.batch);
      }
    } catch (StoreException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return new Summary(tally.added, tally.updated, tally.unchanged, tally.excerpts, tally.audio, tally.failures,
        tally.noVectors, tally.damaged, tally.warnings, tally.relinked);
  }

  /** What a run has done so far, and the batch not yet written. */
  private static final class Tally {
    int added;
    int updated;
    int unchanged;
    int excerpts;
    double audio;
    final List<Failure> failures = new ArrayList<>();
    final List<Failure> noVectors = new ArrayList<>();
    final List<Failure> damaged = new ArrayList<>();
    final List<Failure> warnings = new ArrayList<>();
    final List<VectorStore.Entry> batch = new ArrayList<>();
    final List<Relinked> relinked = new ArrayList<>();

    /** Counts file {@code f}'s result and queues its entry; returns its status for the listener. */
    String count(Path f, Work w) {
      if (w.failure != null) {
        failures.add(new Failure(f.toString(), w.failure));
        return "failed: " + w.failure;
      }
      if (w.relink != null) {
        relinked.add(w.relink);
        return w.relink.from().equals(w.relink.to()) ? "unchanged content" : "moved from " + w.relink.from();
      }
      if (w.entry == null) {
        unchanged++;
        return "unchanged";
      }
      batch.add(w.entry);
      excerpts += w.entry.excerpts().size();
      audio += w.entry.track().durationSeconds();
      if (w.entry.excerpts().isEmpty()) { // stored with its reason, counted apart from added/updated
        noVectors.add(new Failure(f.toString(), w.entry.track().problem()));
        return "no vectors: " + w.entry.track().problem();
      }
      String note = "";
      if (w.damage != null) {
        (w.damage.minor() ? warnings : damaged).add(new Failure(f.toString(), w.damage.reason()));
        note = (w.damage.minor() ? " (warning: " : " (damaged: ") + w.damage.reason() + ")";
      }
      if (w.replaces) {
        updated++;
        return "updated" + note;
      }
      added++;
      return "added" + note;
    }
  }

  /** The result of analysing one file: an entry to write, nothing (unchanged), or a failure. */
  private record Work(VectorStore.Entry entry, boolean replaces, String failure, AudioDecoder.Damage damage,
      Relinked relink, TrackRecord relinkTo) {
    Work(VectorStore.Entry entry, boolean replaces, String failure) {
      this(entry, replaces, failure, null, null, null);
    }

    Work(VectorStore.Entry entry, boolean replaces, String failure, AudioDecoder.Damage damage) {
      this(entry, replaces, failure, damage, null, null);
    }

    static Work relink(TrackRecord from, TrackRecord to) {
      return new Work(null, false, null, null, new Relinked(from.path(), to.path()), to);
    }
  }

  private Work analyse(Path f, TrackRecord old, java.util.Map<Long, List<TrackRecord>> gone, java.util.Set<String> claimed)
      throws IOException {
    long size;
    long mtime;
    try {
      size = Files.size(f);
      mtime = Files.getLastModifiedTime(f).toMillis();
    } catch (IOException e) {
      return new Work(null, false, f + ": cannot read file (" + e.getMessage() + ")");
    }
    if (old != null && old.size() == size && old.mtimeMillis() == mtime) {
      return new Work(null, true, null);
    }
    try {
      String hash = FileHash.sha256(f);
      if (store.canRelink()) {
        TrackRecord same = old != null && old.size() == size && hash.equals(old.hash()) ? old : null;
        if (same == null && old == null) {
          for (TrackRecord g : gone.getOrDefault(size, List.of())) {
            if (hash.equals(g.hash()) && claimed.add(g.path())) {
              same = g;
              break;
            }
          }
        }
        if (same != null) { // the same content: only the record's path, size or time change
          return Work.relink(same, new TrackRecord(same.id(), key(f), size, mtime, hash, same.durationSeconds(),
              same.excerpts(), same.problem(), same.tags()));
        }
      }
      TrackFeatures t = extractor.extract(f);
      if (t.damage() != null && t.excerpts().isEmpty()) { // nothing usable: refused, not stored
        return new Work(null, false, f + ": " + t.problem());
      }
      TrackRecord rec = new TrackRecord(0, key(f), size, mtime, hash, t.durationSeconds(), t.excerpts().size(),
          t.recordedProblem(), Tags.read(f));
      return new Work(new VectorStore.Entry(rec, t.excerpts()), old != null, null, t.damage());
    } catch (AudioDecodeException e) {
      return new Work(null, false, e.getMessage());
    } catch (IOException e) {
      return new Work(null, false, f + ": " + e.getMessage());
    } catch (RuntimeException | OutOfMemoryError e) { // a defect or a file too big for the heap: this file fails, the batch goes on
      return new Work(null, false, f + ": could not be analysed (" + e + ")");
    }
  }

  /** What {@link #remove} did: tracks removed, and the given paths that matched no track. */
  public record Removal(int removed, List<Path> notFound) {}

  /**
   * Removes from {@code store} every track whose path is one of {@code paths} (as {@link #key}) or lies
   * under one of them (a folder), in one transaction; the files need not exist any more.
   */
  public static Removal remove(VectorStore store, List<Path> paths) throws StoreException {
    List<TrackRecord> tracks = store.tracks();
    List<String> doomed = new ArrayList<>();
    List<Path> notFound = new ArrayList<>();
    for (Path p : paths) {
      String key = key(p);
      String folder = key.endsWith(java.io.File.separator) ? key : key + java.io.File.separator; // "/" stays "/"
      int before = doomed.size();
      for (TrackRecord t : tracks) {
        if (t.path().equals(key) || t.path().startsWith(folder)) {
          doomed.add(t.path());
        }
      }
      if (doomed.size() == before) {
        notFound.add(p);
      }
    }
    return new Removal(store.remove(doomed), notFound);
  }

  /**
   * An approximate index built and stored by {@link #buildAnn}: its kind and parameters, and how they
   * were chosen, with what it measured against the search {@code query} runs ({@link AnnCheck}); kind
   * null when {@code auto} kept exact search and built none.
   */
  public record AnnBuild(ApproximateIndex.Kind kind, String params, String how, double seconds,
      AnnCheck.Measured measured) {}

  /** Seed of the hyperplanes of the LSH tables and of the k-means of the IVF index that {@code index --ann} builds. */
  public static final long LSH_SEED = 42;

  /**
   * Excerpts below which {@code index --ann auto} builds no approximate index: exact aligned search is
   * faster there (measured cross-over: docs/EVALUATION.md, {@code scripts/aligned-crossover.sh}).
   */
  public static final int AUTO_FROM_ROWS = 10_000;

  /**
   * Recall@10 of exact search's tracks below which {@code query --search auto} does not search through a
   * measured approximate index (nor when it is slower than exact search).
   */
  public static final double AUTO_MIN_RECALL = 0.9;

  /**
   * Builds an approximate index over everything in {@code store} and stores it, replacing any stored
   * LSH tables or IVF index: {@code kind}, or by size when null ({@link ApproximateIndex.Kind#forSize};
   * none below {@link #AUTO_FROM_ROWS} excerpts). LSH: the size-based defaults, or with {@code
   * targetRecall} > 0 the cheapest setting that reaches that excerpt recall@10 ({@link
   * org.rhythmsearch.index.LshTuner#choose}); IVF: the size-based budget, or the cheapest reaching it
   * ({@link org.rhythmsearch.index.IvfTuner#choose}). Either is then measured as {@code query} will use
   * it ({@link AnnCheck}: whole tracks held out, track recall@10 against exact tempo-aligned search,
   * and the speed-up), and the measurement is stored with it (note {@link AnnCheck#NOTE}): {@code query
   * --search auto} searches through it only where it was measured faster than exact search with at
   * least {@link #AUTO_MIN_RECALL}.
   *
   * @return what was built, or empty when the store has no vectors
   */
  public static Optional<AnnBuild> buildAnn(VectorStore store, ApproximateIndex.Kind kind, double targetRecall)
      throws StoreException {
    if (!(targetRecall >= 0 && targetRecall <= 1)) {
      throw new IllegalArgumentException("target recall must be in [0, 1]; targetRecall=" + targetRecall);
    }
    long t0 = System.nanoTime();
    Snapshot snap = store.snapshot();
    int n = snap.vectors().rows();
    if (n == 0) {
      return Optional.empty();
    }
    if (kind == null && n < AUTO_FROM_ROWS) {
      AnnCheck.Measured none = new AnnCheck.Measured("none", "", snap.rowFingerprint(), Double.NaN, 10, Double.NaN, 0,
          String.format(java.util.Locale.ROOT, "%d excerpts: exact tempo-aligned search is faster than an approximate "
              + "index below %d (measured cross-over), so auto built none and query searches exactly", n,
              AUTO_FROM_ROWS));
      store.saveNote(AnnCheck.NOTE, none.toNote());
      return Optional.of(new AnnBuild(null, "none", none.reason(), (System.nanoTime() - t0) / 1e9, none));
    }
    ApproximateIndex.Kind k = kind != null ? kind : ApproximateIndex.Kind.forSize(n);
    String how;
    ApproximateIndex built;
    java.util.function.Function<VectorMatrix, ApproximateIndex> same;
    if (k == ApproximateIndex.Kind.LSH) {
      var choice = LshTuner.choose(snap.vectors(), 10, targetRecall, LSH_SEED, 20_000);
      LshIndex lsh = new LshIndex(snap.vectors(), choice.params());
      store.saveLsh(snap, lsh);
      built = lsh;
      how = LshTuner.describe(choice, 10, targetRecall);
      same = base -> new LshIndex(base, choice.params());
    } else {
      var choice = IvfTuner.choose(snap.vectors(), snap.excerptTrack(), 10, targetRecall, LSH_SEED);
      IvfIndex ivf = new IvfIndex(snap.vectors(), choice.params());
      store.saveIvf(snap, ivf);
      built = ivf;
      how = choice.describe(10, targetRecall);
      same = base -> new IvfIndex(base, choice.params());
    }
    AnnCheck.Measured m = AnnCheck.measure(snap, same, QueryOptions.defaults().withSearch(QueryOptions.Search.APPROXIMATE),
        LSH_SEED);
    if (m == null) { // too few tracks to hold any out: unmeasured, so auto does not use it
      m = new AnnCheck.Measured(k.id(), built.describe(), snap.rowFingerprint(), Double.NaN, 10, Double.NaN, 0,
          "too few tracks to measure it on held-out tracks");
    }
    store.saveNote(AnnCheck.NOTE, m.toNote());
    how += "; as query searches: " + (m.queries() == 0 ? m.reason() : m.describe());
    if (kind == null) {
      how = "chosen by size (" + n + " excerpts; IVF from " + ApproximateIndex.Kind.IVF_FROM_ROWS + "); " + how;
    }
    if (!usedByAuto(m)) {
      how += String.format(java.util.Locale.ROOT, "; query --search auto will search exactly (the approximate index "
          + "needs to be faster and reach recall@10 %.2f; --search approximate uses it)", AUTO_MIN_RECALL);
    }
    return Optional.of(new AnnBuild(k, built.describe(), how, (System.nanoTime() - t0) / 1e9, m));
  }

  /** Whether {@code query --search auto} searches through an index measured as {@code m}. */
  public static boolean usedByAuto(AnnCheck.Measured m) {
    return m.faster() && m.recallAtK() >= AUTO_MIN_RECALL;
  }
}
