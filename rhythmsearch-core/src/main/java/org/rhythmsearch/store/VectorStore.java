package org.rhythmsearch.store;

import java.util.List;
import java.util.Optional;
import org.rhythmsearch.features.ExcerptVector;
import org.rhythmsearch.features.FeatureConfig;
import org.rhythmsearch.index.VectorEncoding;
import org.rhythmsearch.index.ApproximateIndex;
import org.rhythmsearch.index.IvfIndex;
import org.rhythmsearch.index.LshIndex;

/**
 * Where an index lives: its feature configuration, its tracks with their excerpt vectors and tempi,
 * and optionally the LSH tables over them. Every front end (CLI, HTTP) and every writer ({@code
 * Indexer}) goes through this interface; {@link SqliteStore} is the embedded implementation. Every
 * implementation passes the same contract tests ({@code VectorStoreContract} in the test sources).
 *
 * <p>The contract:
 * <ul>
 *   <li>A store holds vectors of exactly one {@link FeatureConfig}; opening it for another is refused
 *       with a {@link StoreException} that names both.</li>
 *   <li>{@link #write} stores a batch of whole tracks atomically: all of it or none of it, also when
 *       the process dies in the middle. A track replaces any stored track with the same path.</li>
 *   <li>Vectors, excerpt starts and tempi (NaN = unknown) come back bit for bit.</li>
 *   <li>{@link #snapshot} lists tracks in id order, each track's excerpts by start time.</li>
 *   <li>Stored LSH tables and a stored IVF index are returned only while they cover exactly the
 *       snapshot's rows, so a changed index never answers from stale tables. Storing one of the two
 *       approximate indexes drops the other: the one built last is the one queries use.</li>
 * </ul>
 *
 * <p>Implementations state their own thread-safety.
 */
public interface VectorStore extends AutoCloseable {

  /** A track and its vectors, to be written together. */
  record Entry(TrackRecord track, List<ExcerptVector> excerpts) {}

  /** Where the store is (a file path or a URI), for messages. */
  String location();

  /** The feature configuration of every vector in this store. */
  FeatureConfig config();

  /**
   * How the store holds its vectors (and {@link #snapshot} hands them out): int8 codes for a new index,
   * float32 for one written before they existed.
   */
  default VectorEncoding encoding() {
    return VectorEncoding.FLOAT32;
  }

  /** The record stored for {@code path}, if any. */
  Optional<TrackRecord> track(String path) throws StoreException;

  /** All tracks, in id order. */
  List<TrackRecord> tracks() throws StoreException;

  /**
   * Writes a batch of tracks atomically; each replaces any track with the same path (and its
   * excerpts).
   *
   * @throws StoreException when a vector has another dimension than {@link #config()}'s (nothing of
   *     the batch is stored) or the store fails
   */
  void write(List<Entry> batch) throws StoreException;

  /**
   * Removes the tracks with these paths and their vectors atomically.
   *
   * @return the number of tracks removed (paths not stored are ignored)
   */
  int remove(List<String> paths) throws StoreException;

  /**
   * Points the track stored under {@code oldPath} at {@code updated}'s path, size and modification time
   * (a file moved, renamed or copied with its content unchanged), keeping its id, content hash and
   * excerpts: nothing is decoded again. Stores that cannot do it say so ({@link #canRelink()}) and the
   * track is then analysed anew.
   *
   * @return whether a track was stored under {@code oldPath}
   * @throws UnsupportedOperationException when {@link #canRelink()} is false
   */
  default boolean relink(String oldPath, TrackRecord updated) throws StoreException {
    throw new UnsupportedOperationException("this store cannot relink a track");
  }

  /** Whether {@link #relink} is supported. */
  default boolean canRelink() {
    return false;
  }

  /** Every track and vector, loaded for searching. */
  Snapshot snapshot() throws StoreException;

  /**
   * A number that changes with every write to a shared index (Redis's change counter), for a reader
   * to notice a change without reading the index; empty for a file, whose size and time tell.
   */
  default java.util.OptionalLong changeCounter() throws StoreException {
    return java.util.OptionalLong.empty();
  }

  /**
   * Each track's excerpt tempi by track id (NaN: unknown), in start order, without reading the vectors
   * where the store can (a listing needs no vectors); tracks without excerpts are absent.
   */
  default java.util.Map<Long, float[]> excerptTempi() throws StoreException {
    Snapshot snap = snapshot();
    java.util.Map<Long, List<Float>> byTrack = new java.util.LinkedHashMap<>();
    for (int r = 0; r < snap.excerptTrack().length; r++) {
      byTrack.computeIfAbsent(snap.tracks().get(snap.excerptTrack()[r]).id(), id -> new java.util.ArrayList<>())
          .add(snap.excerptTempo()[r]);
    }
    return Snapshot.tempiArrays(byTrack);
  }

  /**
   * Stores a short note under {@code key} (letters, digits, '-' and '.'), replacing any earlier one: a
   * fact about the index that travels with it, e.g. what its approximate index measured. Notes are not
   * checked against the rows: a note says what it covers (e.g. a {@link Snapshot#rowFingerprint()}).
   */
  void saveNote(String key, String value) throws StoreException;

  /** The note stored under {@code key}, if any. */
  Optional<String> note(String key) throws StoreException;

  /** Checks a note's key. */
  static String noteKey(String key) {
    if (key == null || !key.matches("[A-Za-z0-9.-]{1,64}")) {
      throw new IllegalArgumentException("note key must be 1-64 letters, digits, '-' or '.'; key=" + key);
    }
    return "note." + key;
  }

  /** Stores the LSH tables of {@code lsh}, built over {@code snapshot}, replacing any stored ones and any stored IVF index. */
  void saveLsh(Snapshot snapshot, LshIndex lsh) throws StoreException;

  /**
   * The stored LSH tables, if there are some that cover exactly {@code snapshot}'s rows (codes in
   * snapshot row order); empty when none were stored or the index changed since.
   *
   * @throws StoreException for stored tables this code cannot read
   */
  Optional<StoredLsh> loadLsh(Snapshot snapshot) throws StoreException;

  /**
   * The stored LSH index over {@code snapshot}, if current, with its codes checked against the
   * hyperplanes of its seed ({@link StoredLsh#toIndex}).
   */
  default Optional<LshIndex> lshIndex(Snapshot snapshot) throws StoreException {
    Optional<StoredLsh> stored = loadLsh(snapshot);
    return stored.isEmpty() ? Optional.empty() : Optional.of(stored.get().toIndex(snapshot, location()));
  }

  /**
   * Stores {@code ivf} (built over {@code snapshot}) as a {@link StoredIvf}, replacing any stored IVF
   * index and any stored LSH tables.
   */
  void saveIvf(Snapshot snapshot, IvfIndex ivf) throws StoreException;

  /**
   * The stored IVF index, if there is one that covers exactly {@code snapshot}'s rows; empty when none
   * was stored or the index changed since.
   *
   * @throws StoreException for a stored value that is damaged or that this code cannot read
   */
  Optional<StoredIvf> loadIvf(Snapshot snapshot) throws StoreException;

  /** The stored IVF index over {@code snapshot}, if current, checked ({@link StoredIvf#toIndex}). */
  default Optional<IvfIndex> ivfIndex(Snapshot snapshot) throws StoreException {
    Optional<StoredIvf> stored = loadIvf(snapshot);
    return stored.isEmpty() ? Optional.empty() : Optional.of(stored.get().toIndex(snapshot, location()));
  }

  /**
   * Whether an approximate index (IVF or LSH tables) is stored at all, current or not: with {@link
   * #approximateIndex} empty, it went stale when tracks changed.
   */
  boolean approximateStored() throws StoreException;

  /**
   * The approximate index queries use: the stored IVF index or LSH tables over {@code snapshot}, whichever
   * is current (the IVF index if an older file holds both); empty when neither is.
   */
  default Optional<ApproximateIndex> approximateIndex(Snapshot snapshot) throws StoreException {
    Optional<IvfIndex> ivf = ivfIndex(snapshot);
    if (ivf.isPresent()) {
      return Optional.of(ivf.get());
    }
    Optional<LshIndex> lsh = lshIndex(snapshot);
    return lsh.isPresent() ? Optional.of(lsh.get()) : Optional.empty();
  }

  /**
   * What {@link #check} found.
   *
   * @param tracks track records read
   * @param excerpts excerpt rows read
   * @param checksummed whether the rows carry checksums (an older index gets them with its next write)
   * @param problems every problem found, one line each (empty when the index is whole)
   * @param damagedTracks the tracks whose record or excerpts are damaged ({@link #repair} removes them)
   * @param lshDamaged whether the stored LSH tables are damaged ({@link #repair} drops them)
   * @param ivfDamaged whether the stored IVF index is damaged ({@link #repair} drops it)
   */
  record CheckReport(int tracks, long excerpts, boolean checksummed, List<String> problems,
      List<TrackRecord> damagedTracks, boolean lshDamaged, boolean ivfDamaged) {
    public CheckReport {
      problems = List.copyOf(problems);
      damagedTracks = List.copyOf(damagedTracks);
    }

    /** Whether nothing is wrong. */
    public boolean ok() {
      return problems.isEmpty();
    }
  }

  /**
   * Reads everything the store holds and verifies it (the database's own integrity, every checksum,
   * the counts, orphan rows, the LSH tables, the IVF index); damage is reported, not thrown.
   *
   * @throws StoreException when the store cannot be read at all
   */
  CheckReport check() throws StoreException;

  /**
   * Removes what {@code report} found damaged — the damaged tracks with their vectors, rows belonging
   * to no track, damaged LSH tables, a damaged IVF index — in one transaction, so the index is whole again; the removed
   * tracks' files can then be indexed again.
   *
   * @return the number of tracks removed
   */
  int repair(CheckReport report) throws StoreException;

  /**
   * Bytes the index occupies where it lives: its file (and write-ahead log), or its keys' memory in
   * Redis; -1 when unknown.
   */
  default long storedBytes() throws StoreException {
    return -1;
  }

  @Override
  void close() throws StoreException;
}
