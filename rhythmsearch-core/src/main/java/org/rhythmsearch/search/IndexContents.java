package org.rhythmsearch.search;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.rhythmsearch.audio.Tags;
import org.rhythmsearch.features.TempoEstimator;
import org.rhythmsearch.index.IvfIndex;
import org.rhythmsearch.index.VectorEncoding;
import org.rhythmsearch.index.LshIndex;
import org.rhythmsearch.store.Snapshot;
import org.rhythmsearch.store.StoreException;
import org.rhythmsearch.store.StoredIvf;
import org.rhythmsearch.store.StoredLsh;
import org.rhythmsearch.store.TrackRecord;
import org.rhythmsearch.store.VectorStore;

/**
 * What an index holds, for {@code ls} and {@code stats}: every track with its duration, excerpts, tempo
 * and problem, whether its file is still there, the same content under several paths, and the index's
 * size and LSH tables; and {@link #prune}, which drops the tracks whose file is gone.
 */
public final class IndexContents {

  private IndexContents() {}

  /**
   * One indexed track.
   *
   * @param tempoBpm the median of its excerpts' tempi, NaN when unknown
   * @param fileExists whether the file is still at its path
   * @param tags the title, artist and album of its tags when indexed
   */
  public record Track(long id, String path, double durationSeconds, int excerpts, double tempoBpm, String problem,
      boolean fileExists, Tags tags) {}

  /**
   * Everything listed.
   *
   * @param bytesOnDisk the index file and its write-ahead log, or -1 when the store is not a file
   * @param lsh the parameters of current LSH tables, or null when there are none
   * @param ivf the parameters of a current IVF index, or null when there is none
   * @param duplicates paths that hold the same content (same SHA-256), one list per content
   * @param vectors how the index holds its vectors
   */
  public record Listing(String location, String feature, int dimension, List<Track> tracks, int tracksWithVectors,
      int excerpts, long bytesOnDisk, long bytesStored, LshIndex.Params lsh, IvfIndex.Params ivf,
      List<List<String>> duplicates, VectorEncoding vectors) {

    /** The bytes of one excerpt's vector as stored and held in memory. */
    public int vectorBytes() {
      return vectors.bytes(dimension);
    }

    /** Everything the store holds (file or server memory) per excerpt; NaN without excerpts. */
    public double bytesPerExcerpt() {
      return excerpts == 0 ? Double.NaN : (double) bytesStored / excerpts;
    }

    /** Tracks whose file is no longer at its path. */
    public long missingFiles() {
      return tracks.stream().filter(t -> !t.fileExists()).count();
    }
  }

  /** Lists {@code store}, with its approximate index's parameters (which needs every vector read). */
  public static Listing of(VectorStore store) throws StoreException {
    return of(store, true);
  }

  /**
   * Lists {@code store}; without {@code approximate}, the approximate index is not looked at ({@code lsh}
   * and {@code ivf} are null) and no vector is read: what {@code ls} needs.
   */
  public static Listing of(VectorStore store, boolean approximate) throws StoreException {
    Snapshot snap = approximate ? store.snapshot() : null;
    List<TrackRecord> records = approximate ? snap.tracks() : store.tracks();
    Map<Long, float[]> tempi = store.excerptTempi();
    List<Track> tracks = new ArrayList<>();
    Map<String, List<String>> byHash = new LinkedHashMap<>();
    int withVectors = 0;
    int excerpts = 0;
    for (TrackRecord r : records) {
      float[] t = tempi.getOrDefault(r.id(), new float[0]);
      double[] d = new double[t.length];
      for (int i = 0; i < t.length; i++) {
        d[i] = t[i];
      }
      tracks.add(new Track(r.id(), r.path(), r.durationSeconds(), r.excerpts(), TempoEstimator.median(d), r.problem(),
          Files.isRegularFile(Path.of(r.path())), r.tags()));
      byHash.computeIfAbsent(r.hash(), h -> new ArrayList<>()).add(r.path());
      withVectors += r.excerpts() > 0 ? 1 : 0;
      excerpts += r.excerpts();
    }
    List<List<String>> duplicates = byHash.values().stream().filter(paths -> paths.size() > 1).map(List::copyOf).toList();
    Optional<StoredLsh> lsh = approximate ? store.loadLsh(snap) : Optional.empty();
    Optional<StoredIvf> ivf = approximate ? store.loadIvf(snap) : Optional.empty();
    return new Listing(store.location(), store.config().id(), store.config().dimension(), tracks, withVectors,
        approximate ? snap.vectors().rows() : excerpts, bytesOnDisk(store.location()), store.storedBytes(),
        lsh.map(StoredLsh::params).orElse(null), ivf.map(StoredIvf::params).orElse(null), duplicates,
        store.encoding());
  }

  private static long bytesOnDisk(String location) {
    try {
      Path file = Path.of(location);
      if (!Files.isRegularFile(file)) {
        return -1;
      }
      Path wal = Path.of(location + "-wal");
      return Files.size(file) + (Files.isRegularFile(wal) ? Files.size(wal) : 0);
    } catch (java.io.IOException | java.nio.file.InvalidPathException e) {
      return -1;
    }
  }

  /**
   * Removes from {@code store} every track whose file is no longer at its path, in one transaction.
   *
   * @return the paths removed
   */
  public static List<String> prune(VectorStore store) throws StoreException {
    List<String> gone = new ArrayList<>();
    for (TrackRecord t : store.tracks()) {
      if (!Files.isRegularFile(Path.of(t.path()))) {
        gone.add(t.path());
      }
    }
    store.remove(gone);
    return gone;
  }

  /** What {@link #relocate} did: tracks whose path it rewrote, and how many of the new paths name no file. */
  public record Relocation(List<Indexer.Relinked> moved, int missing) {}

  /**
   * Rewrites the path of every track at {@code from} or under it (a folder) to the same place under
   * {@code to}, keeping everything else (nothing is decoded): for a library moved without its index.
   *
   * @throws UnsupportedOperationException when the store cannot relink tracks ({@link VectorStore#canRelink})
   */
  public static Relocation relocate(VectorStore store, Path from, Path to) throws StoreException {
    String old = Indexer.key(from);
    String now = Indexer.key(to);
    String folder = old.endsWith(java.io.File.separator) ? old : old + java.io.File.separator;
    List<Indexer.Relinked> moved = new ArrayList<>();
    int missing = 0;
    for (TrackRecord t : store.tracks()) {
      String path = t.path().equals(old) ? now : t.path().startsWith(folder) ? now + t.path().substring(old.length()) : null;
      if (path == null) {
        continue;
      }
      store.relink(t.path(), t.withPath(path));
      moved.add(new Indexer.Relinked(t.path(), path));
      missing += Files.isRegularFile(Path.of(path)) ? 0 : 1;
    }
    return new Relocation(moved, missing);
  }
}
