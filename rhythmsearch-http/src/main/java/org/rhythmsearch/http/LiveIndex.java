package org.rhythmsearch.http;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.rhythmsearch.search.QueryException;
import org.rhythmsearch.search.QueryOptions;
import org.rhythmsearch.search.QueryService;
import org.rhythmsearch.search.ScoreScale;
import org.rhythmsearch.store.Snapshot;
import org.rhythmsearch.store.StoreException;
import org.rhythmsearch.store.Stores;
import org.rhythmsearch.store.TrackRecord;
import org.rhythmsearch.store.VectorStore;

/**
 * The index a server answers from, loaded whole and swapped whole: every request takes the current
 * {@link Loaded} once and uses only it, so a reload (asked for, or seen by the watcher when the index
 * file changes) never shows a request half of one state and half of another. A snapshot is read in
 * one read transaction, so a writer's half-done batch is never loaded either.
 *
 * <p>Thread-safe.
 */
final class LiveIndex implements AutoCloseable {

  /** One loaded state of the index, immutable. */
  static final class Loaded {
    final QueryService service;
    final long version;
    final Instant loadedAt;
    final Map<Long, TrackRecord> byId = new HashMap<>();
    /** What the score of the default aggregation means here; computed after loading, in the background. */
    final CompletableFuture<ScoreScale> scale = new CompletableFuture<>();
    private final Object fingerprint;

    Loaded(QueryService service, long version, Object fingerprint) {
      this.service = service;
      this.version = version;
      this.fingerprint = fingerprint;
      this.loadedAt = Instant.now();
      for (TrackRecord t : service.snapshot().tracks()) {
        byId.put(t.id(), t);
      }
    }

    Snapshot snapshot() {
      return service.snapshot();
    }

    /** The track with this id, or a 404. */
    TrackRecord track(long id) {
      TrackRecord t = byId.get(id);
      if (t == null) {
        throw ApiError.notFound("track " + id + ": no such track in the index");
      }
      return t;
    }

    /** The score scale if it is ready, else null. */
    ScoreScale scaleIfReady() {
      return scale.isDone() && !scale.isCompletedExceptionally() ? scale.join() : null;
    }
  }

  private final String location;
  private final int scaleQueries;
  private final Consumer<String> log;
  private final AtomicReference<Loaded> current = new AtomicReference<>();
  private final ScheduledExecutorService background = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "rhythmsearch-index-watch");
    t.setDaemon(true);
    return t;
  });
  private long versions;
  private volatile String problem;
  /** For an index on a server: a read-only store kept open to read its change counter. */
  private final VectorStore counter;

  /**
   * Loads the index at {@code location}.
   *
   * @param scaleQueries tracks queried to sample the score scale (0 = no scale)
   * @param log where reloads and their failures are reported (one line each)
   * @throws StoreException when it cannot be opened or read
   */
  LiveIndex(String location, int scaleQueries, Consumer<String> log) throws StoreException {
    this.location = location;
    this.scaleQueries = scaleQueries;
    this.log = log;
    this.counter = Stores.isServer(location) ? Stores.openReadOnly(location) : null;
    try {
      reload();
    } catch (StoreException | RuntimeException e) {
      close();
      throw e;
    }
  }

  /** The current state; use the same one for the whole of a request. */
  Loaded current() {
    return current.get();
  }

  /**
   * Reads the index again and makes it current, whether or not it changed.
   *
   * @throws StoreException when it cannot be read (the previous state stays current)
   */
  synchronized Loaded reload() throws StoreException {
    Object before = fingerprint();
    QueryService service;
    java.util.Optional<String> scaleNote;
    try (VectorStore store = Stores.openReadOnly(location)) {
      // the vectors and, when current and whole, the approximate index; a stale or damaged one is said and skipped
      service = QueryService.load(store, QueryOptions.Search.AUTO);
      scaleNote = store.note(ScoreScale.NOTE);
    } catch (QueryException e) {
      throw new IllegalStateException(e); // only an explicit approximate search refuses to load
    }
    service.approximateProblem().ifPresent(p -> log.accept("warning: " + p + "; queries are exact until "
        + "rhythmsearch index --index " + location + " --ann auto"));
    Loaded next = new Loaded(service, ++versions, before);
    current.set(next);
    problem = null;
    if (scaleQueries > 0) {
      background.execute(() -> {
        try {
          // the scale index keeps for these rows, else sampled: as many queries as index samples (fewer on a
          // big index: each is ranked against every track), so the first minutes of serving are not spent on it
          next.scale.complete(scaleNote.flatMap(n -> ScoreScale.fromNote(n, next.service.snapshot()))
              .orElseGet(() -> ScoreScale.sample(next.service, QueryOptions.defaults(),
                  ScoreScale.queriesFor(next.service.snapshot().vectors().rows(), scaleQueries), 42)));
        } catch (RuntimeException e) {
          next.scale.completeExceptionally(e);
        }
      });
    }
    return next;
  }

  /**
   * Checks every {@code seconds} whether the index file (or its write-ahead log) changed, and reloads
   * it when it did.
   */
  void watch(double seconds) {
    long millis = Math.max(50, Math.round(seconds * 1000));
    background.scheduleWithFixedDelay(() -> {
      Loaded l = current.get();
      Object now;
      try {
        now = fingerprint();
      } catch (StoreException e) {
        trouble(e.getMessage());
        return;
      }
      if (!Objects.equals(now, l.fingerprint)) {
        try {
          Loaded n = reload();
          log.accept(String.format("reloaded %s: %d tracks, %d excerpts (version %d)", location,
              n.snapshot().tracks().size(), n.snapshot().vectors().rows(), n.version));
        } catch (StoreException | RuntimeException e) {
          trouble(e.getMessage());
          return;
        }
      }
      if (problem != null) {
        log.accept(location + ": reachable again");
        problem = null;
      }
    }, millis, millis, TimeUnit.MILLISECONDS);
  }

  /** Why the index could not be read at the last check, or null when it could: queries go on from memory. */
  String problem() {
    return problem;
  }

  private void trouble(String message) {
    if (!message.equals(problem)) { // once per new problem, not at every check
      log.accept("could not read " + location + " (still answering from the state loaded at "
          + current.get().loadedAt + "): " + message);
    }
    problem = message;
  }

  /**
   * What changes when the index is written: a Redis index's change counter; the size and modification
   * time of an index file and of its write-ahead log.
   */
  private Object fingerprint() throws StoreException {
    if (counter != null) {
      return counter.changeCounter().orElseThrow();
    }
    Path db = Path.of(location);
    return List.of(stat(db), stat(Path.of(location + "-wal")));
  }

  private static List<Object> stat(Path p) {
    try {
      BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
      return List.of(a.size(), a.lastModifiedTime().toMillis());
    } catch (IOException e) {
      return List.of();
    }
  }

  @Override
  public void close() {
    background.shutdownNow();
    if (counter != null) {
      try {
        counter.close();
      } catch (StoreException e) {
        log.accept("closing " + location + ": " + e.getMessage());
      }
    }
  }
}
