package org.rhythmsearch.store;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.rhythmsearch.audio.Tags;
import org.rhythmsearch.features.ExcerptVector;
import org.rhythmsearch.features.FeatureConfig;
import org.rhythmsearch.index.IvfIndex;
import org.rhythmsearch.index.LshIndex;
import org.rhythmsearch.index.VectorEncoding;
import org.rhythmsearch.index.VectorMatrix;

/**
 * The embedded index: one SQLite file holding the feature configuration, the tracks and their
 * excerpt vectors (little-endian float32 blobs) and tempi, and optionally LSH tables ({@link SqliteLsh}).
 *
 * <p>Format ({@link SqliteSchema}): table {@code meta} carries {@code format = rhythmsearch-index},
 * {@code schemaVersion} (versions {@value #SCHEMA_VERSION_START} to {@value #SCHEMA_VERSION} are read,
 * older ones are upgraded in place by the first write; a file too old or too new is refused, saying
 * which) and the feature configuration's id and canonical parameter string; an index opened with
 * another configuration is refused. Writes happen in transactions of whole tracks, so an interrupted
 * run keeps every committed track and leaves no half-written one.
 *
 * <p>Not thread-safe (one JDBC connection); use from one thread, or open one store per thread.
 */
public final class SqliteStore implements VectorStore {

  /** Value of {@code meta.format}. */
  public static final String FORMAT = "rhythmsearch-index";
  /**
   * Schema version written by this code (2 adds the optional LSH tables, 3 each excerpt's tempo, 4 a
   * CRC32C checksum of every track and excerpt row, verified whenever they are read, 5 each track's title,
   * artist and album from its tags, 6 how the vectors are held, {@code meta.vectors}: int8 codes for a new
   * index, float32 before). Older files are read (their excerpts have no tempo, their rows no checksums,
   * their vectors are float32) and upgraded in place by the first write; their vectors stay float32.
   */
  public static final int SCHEMA_VERSION = 6;
  /** Oldest schema version read. */
  public static final int SCHEMA_VERSION_START = 1;
  /**
   * Version of the stored LSH format: 1 has parameters, seed and codes (hyperplanes through the
   * origin); 2 adds the point the hyperplanes pass through ({@code center}); 3 a CRC32C checksum of the
   * codes and parameters ({@code crc}), verified on load. All three are read.
   */
  public static final int LSH_FORMAT_VERSION = 3;

  private static final String TRACK_COLUMNS = "id, path, size, mtime, hash, duration, excerpts, problem, crc, title, "
      + "artist, album";

  private final Path file;
  private final Connection db;
  private final FeatureConfig config;
  private final VectorEncoding encoding;
  private final SqliteLsh lsh;
  private final boolean readOnly;
  /** Whether the rows carry checksums (schema 4; an older file gets them with its first write). */
  private boolean checksummed;
  /** Whether the tracks carry their tags' columns (schema 5; an older file gets them with its first write). */
  private boolean tagged;

  private SqliteStore(Path file, Connection db, FeatureConfig config, boolean readOnly)
      throws SQLException, StoreException {
    this.file = file;
    this.db = db;
    this.config = config;
    this.encoding = SqliteSchema.encoding(file, db);
    this.lsh = new SqliteLsh(file.toString(), db);
    this.readOnly = readOnly;
    this.checksummed = SqliteSchema.hasChecksums(db);
    this.tagged = SqliteSchema.hasTagColumns(db);
  }

  /**
   * Opens {@code file} for writing, creating a new index for {@code config} if the file does not exist or
   * is empty (its directory must exist); an index of an older schema version is upgraded in place. Creation is one immediate transaction: two processes creating the same
   * index at once both open it, one after the other.
   *
   * @throws StoreException when the file is not an index, has another schema version, or was built
   *     with another feature configuration
   */
  public static SqliteStore open(Path file, FeatureConfig config) throws StoreException {
    return open(file, config, null);
  }

  /**
   * As {@link #open(Path, FeatureConfig)}, a new index holding its vectors as {@code encoding} (null: the
   * default, {@link VectorEncoding#DEFAULT}).
   *
   * @throws StoreException also when an existing index holds its vectors otherwise than a given {@code
   *     encoding}
   */
  public static SqliteStore open(Path file, FeatureConfig config, VectorEncoding encoding) throws StoreException {
    boolean exists = Files.exists(file);
    if (!exists) {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null && !Files.isDirectory(parent)) {
        throw new StoreException(file + ": cannot create the index: directory " + parent + " does not exist");
      }
    }
    return withConnection(file, SqliteSchema.connect(file), db -> {
      FeatureConfig stored;
      try (Statement st = db.createStatement()) {
        st.execute("BEGIN IMMEDIATE"); // the write lock first: a second creator waits, then finds the tables
        try {
          if (!SqliteSchema.hasMeta(db)) {
            if (SqliteSchema.hasAnyTable(db)) {
              throw new StoreException(file + ": not a RhythmSearch index (an SQLite file without its tables)");
            }
            SqliteSchema.create(db, config, encoding == null ? VectorEncoding.DEFAULT : encoding);
          }
          stored = SqliteSchema.checkMeta(file, db);
          if (stored.canonical().equals(config.canonical())) {
            SqliteSchema.upgrade(db); // opened to write: an older file gets the current schema (checksums) now
          }
          st.execute("COMMIT");
        } catch (SQLException | StoreException e) {
          try {
            st.execute("ROLLBACK");
          } catch (SQLException ignored) {
            // no transaction was begun (not a database): the original error is reported
          }
          throw e;
        }
      }
      SqliteSchema.useWriteAheadLog(db); // only once the file is known to be ours
      if (!stored.canonical().equals(config.canonical())) {
        throw new StoreException(file + ": index was built with feature " + stored.id() + "; this run uses "
            + config.id() + " (use --feature " + stored.name() + ", or a new index file)");
      }
      SqliteStore store = new SqliteStore(file, db, stored, false);
      if (encoding != null && store.encoding != encoding) {
        throw new StoreException(file + ": index holds its vectors as " + store.encoding.id() + ", not "
            + encoding.id() + " (leave the choice out to add to it, or use a new index file)");
      }
      return store;
    });
  }

  /**
   * Opens an existing index with whatever feature configuration it was built with, for reading and
   * writing (e.g. {@code remove}); an index of an older schema version is upgraded in place.
   *
   * @throws StoreException when the file does not exist or is not a usable index
   */
  public static SqliteStore openExisting(Path file) throws StoreException {
    checkExistingFile(file);
    return withConnection(file, SqliteSchema.connect(file), db -> {
      FeatureConfig config = existingConfig(file, db);
      SqliteSchema.useWriteAheadLog(db);
      if (!SqliteSchema.isCurrent(db)) { // opened to write: an older file gets the current schema (checksums) now
        try (Statement st = db.createStatement()) {
          st.execute("BEGIN IMMEDIATE");
          try {
            SqliteSchema.upgrade(db);
            st.execute("COMMIT");
          } catch (SQLException e) {
            st.execute("ROLLBACK");
            throw e;
          }
        }
      }
      return new SqliteStore(file, db, config, false);
    });
  }

  /**
   * Opens an existing index for reading only ({@code query}, {@code ls}, {@code check}): the file is
   * never changed (not even its journal mode), and an index in a folder the user cannot write is read
   * too. Writing through the returned store fails.
   *
   * @throws StoreException when the file does not exist or is not a usable index
   */
  public static SqliteStore openReadOnly(Path file) throws StoreException {
    checkExistingFile(file);
    return withConnection(file, SqliteSchema.connectReadOnly(file), db -> new SqliteStore(file, db,
        existingConfig(file, db), true));
  }

  /** The feature configuration of an existing index file, after checking it is one this code reads. */
  private static FeatureConfig existingConfig(Path file, Connection db) throws SQLException, StoreException {
    if (!SqliteSchema.hasMeta(db)) {
      throw new StoreException(file + ": not a RhythmSearch index (no meta table)");
    }
    return SqliteSchema.checkMeta(file, db);
  }

  private static void checkExistingFile(Path file) throws StoreException {
    if (Files.isDirectory(file)) {
      throw new StoreException(file + ": is a folder, not an index file");
    }
    if (!Files.isRegularFile(file)) {
      throw new StoreException(file + ": no such index file");
    }
    long size;
    try {
      size = Files.size(file);
    } catch (java.io.IOException e) {
      throw new StoreException(file + ": cannot read the index file: " + e.getMessage(), e);
    }
    if (size == 0) {
      throw new StoreException(file + ": empty file, nothing indexed yet (run: rhythmsearch index PATH... --index "
          + file + ")");
    }
  }

  /** What is done with a new connection to open a store. */
  @FunctionalInterface
  private interface Opening {
    SqliteStore open(Connection db) throws SQLException, StoreException;
  }

  /** Runs {@code opening} on a new connection to {@code file}; on any failure the connection is closed and the reason reported. */
  private static SqliteStore withConnection(Path file, Connection db, Opening opening) throws StoreException {
    try {
      return opening.open(db);
    } catch (StoreException e) {
      closeQuietly(db);
      throw e;
    } catch (SQLException e) {
      closeQuietly(db);
      throw new StoreException(file + ": " + e.getMessage(), e);
    }
  }

  /** The index file. */
  /**
   * The path a track is stored under: relative to the index file's folder when the track lies under it
   * (so that the folder, moved or copied with its index inside, keeps every track), else as given.
   */
  String storedPath(String path) {
    Path base = base();
    if (base == null || path == null) {
      return path;
    }
    try {
      Path p = Path.of(path);
      if (p.isAbsolute() && p.normalize().startsWith(base) && !p.normalize().equals(base)) {
        return base.relativize(p.normalize()).toString().replace(java.io.File.separatorChar, '/');
      }
    } catch (java.nio.file.InvalidPathException e) {
      // not a path of this system: kept as it is
    }
    return path;
  }

  /** A stored path as the rest of the program sees it: a relative one resolved against the index's folder. */
  String shownPath(String stored) {
    Path base = base();
    if (base == null || stored == null) {
      return stored;
    }
    try {
      Path p = Path.of(stored);
      return p.isAbsolute() ? stored : base.resolve(p).normalize().toString();
    } catch (java.nio.file.InvalidPathException e) {
      return stored;
    }
  }

  /** The folder of the index file (absolute), or null for an in-memory database. */
  private Path base() {
    Path parent = file.toAbsolutePath().normalize().getParent();
    return file.toString().equals(":memory:") ? null : parent;
  }

  /** {@code t} with its path as shown ({@link #shownPath}). */
  TrackRecord shown(TrackRecord t) {
    String path = shownPath(t.path());
    return path.equals(t.path()) ? t : t.withPath(path);
  }

  public Path file() {
    return file;
  }

  @Override
  public String location() {
    return file.toString();
  }

  @Override
  public VectorEncoding encoding() {
    return encoding;
  }

  @Override
  public FeatureConfig config() {
    return config;
  }

  @Override
  public Optional<TrackRecord> track(String path) throws StoreException {
    // stored relative to the index's folder, or (indexed before paths were stored so) as given
    try (PreparedStatement ps = db.prepareStatement("SELECT " + trackColumns() + " FROM tracks WHERE path = ? OR path = ? "
        + "ORDER BY path = ? DESC LIMIT 1")) {
      ps.setString(1, storedPath(path));
      ps.setString(2, path);
      ps.setString(3, storedPath(path));
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(record(rs)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new StoreException(file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public List<TrackRecord> tracks() throws StoreException {
    List<TrackRecord> out = new ArrayList<>();
    try (Statement st = db.createStatement();
        ResultSet rs = st.executeQuery("SELECT " + trackColumns() + " FROM tracks ORDER BY id")) {
      while (rs.next()) {
        out.add(record(rs));
      }
      return out;
    } catch (SQLException e) {
      throw new StoreException(file + ": " + e.getMessage(), e);
    }
  }

  private TrackRecord record(ResultSet rs) throws SQLException, StoreException {
    TrackRecord t = rawRecord(rs);
    String damage = trackDamage(t, rs);
    if (damage != null) {
      throw new StoreException(file + ": " + damage + "; run: rhythmsearch check --index " + file + " --repair");
    }
    return shown(t);
  }

  /** A track row as stored ({@link #trackColumns}), its path not yet made absolute ({@link #shown}). */
  static TrackRecord rawRecord(ResultSet rs) throws SQLException {
    return new TrackRecord(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getString(5),
        rs.getDouble(6), rs.getInt(7), rs.getString(8), new Tags(rs.getString(10), rs.getString(11), rs.getString(12)));
  }

  /** Whether the rows carry checksums. */
  boolean checksummed() {
    return checksummed;
  }

  /** What is wrong with a track row just read (its checksum, its count), or null. */
  String trackDamage(TrackRecord t, ResultSet rs) throws SQLException {
    if (checksummed) {
      int stored = rs.getInt(9);
      if (rs.wasNull() || stored != Checksums.track(t.path(), t.size(), t.mtimeMillis(), t.hash(), t.durationSeconds(),
          t.excerpts(), t.problem(), t.tags())) {
        return "damaged index: the record of track " + t.id() + " (" + t.path() + ") fails its checksum";
      }
    }
    if (t.excerpts() < 0 || t.path() == null) {
      return "damaged index: the record of track " + t.id() + " is impossible (excerpts " + t.excerpts() + ")";
    }
    return null;
  }

  String trackColumns() {
    String columns = checksummed ? TRACK_COLUMNS : TRACK_COLUMNS.replace(", crc", ", NULL");
    return tagged ? columns : columns.replace("title, artist, album", "NULL, NULL, NULL");
  }

  /** Work done inside one transaction. */
  @FunctionalInterface
  private interface Work<T> {
    T run() throws SQLException, StoreException;
  }

  /** Runs {@code work} in one read transaction: one consistent view of the file, whatever others write. */
  private <T> T transaction(String what, Work<T> work) throws StoreException {
    try {
      db.setAutoCommit(false);
      T result = work.run();
      db.commit();
      return result;
    } catch (SQLException | StoreException e) {
      try {
        db.rollback();
      } catch (SQLException ignored) {
        // the original error is reported
      }
      throw failed(what, e);
    } finally {
      try {
        db.setAutoCommit(true);
      } catch (SQLException ignored) {
        // the connection is unusable; the next call reports it
      }
    }
  }

  /**
   * Runs {@code work} in one write transaction, committed whole or rolled back. It takes the write lock
   * first ({@code BEGIN IMMEDIATE}), waiting for another process's writer: a transaction that read
   * first and then wrote would fail at once with "database is locked" when another process had written
   * in between (SQLite cannot wait there).
   */
  private <T> T writeTransaction(String what, Work<T> work) throws StoreException {
    checkWritable();
    try (Statement st = db.createStatement()) {
      st.execute("BEGIN IMMEDIATE");
      try {
        T result = work.run();
        st.execute("COMMIT");
        return result;
      } catch (SQLException | StoreException | RuntimeException e) {
        try {
          st.execute("ROLLBACK");
        } catch (SQLException ignored) {
          // the original error is reported
        }
        throw e;
      }
    } catch (SQLException | StoreException e) {
      throw failed(what, e);
    }
  }

  private StoreException failed(String what, Exception e) {
    return e instanceof StoreException se ? se
        : new StoreException(file + ": " + what + " failed, rolled back: " + e.getMessage(), e);
  }

  @Override
  public void write(List<Entry> batch) throws StoreException {
    writeTransaction("write", () -> {
      SqliteSchema.upgrade(db);
      checksummed = true;
      tagged = true;
      try (PreparedStatement del = db.prepareStatement("DELETE FROM tracks WHERE path = ?");
          PreparedStatement ins = db.prepareStatement("INSERT INTO tracks(path, size, mtime, hash, duration, excerpts, "
              + "problem, crc, title, artist, album) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
              Statement.RETURN_GENERATED_KEYS);
          PreparedStatement vec = db.prepareStatement(
              "INSERT INTO excerpts(track_id, start, vector, tempo, crc) VALUES (?, ?, ?, ?, ?)")) {
        for (Entry e : batch) {
          TrackRecord given = e.track();
          TrackRecord t = given.withPath(storedPath(given.path()));
          del.setString(1, t.path());
          del.executeUpdate();
          del.setString(1, given.path()); // the same track stored with its absolute path by an earlier version
          del.executeUpdate();
          ins.setString(1, t.path());
          ins.setLong(2, t.size());
          ins.setLong(3, t.mtimeMillis());
          ins.setString(4, t.hash());
          ins.setDouble(5, t.durationSeconds());
          ins.setInt(6, e.excerpts().size());
          ins.setString(7, t.problem());
          ins.setInt(8, Checksums.track(t.path(), t.size(), t.mtimeMillis(), t.hash(), t.durationSeconds(),
              e.excerpts().size(), t.problem(), t.tags()));
          ins.setString(9, t.tags().title());
          ins.setString(10, t.tags().artist());
          ins.setString(11, t.tags().album());
          ins.executeUpdate();
          long id;
          try (ResultSet keys = ins.getGeneratedKeys()) {
            keys.next();
            id = keys.getLong(1);
          }
          for (ExcerptVector x : e.excerpts()) {
            if (x.vector().length != config.dimension()) {
              throw new StoreException(file + ": vector of dimension " + x.vector().length + " for " + t.path()
                  + "; the index holds dimension " + config.dimension());
            }
            if (!allFinite(x.vector(), 0, x.vector().length)) {
              throw new StoreException(file + ": the vector of " + t.path() + " at " + x.startSeconds()
                  + " s holds a value that is not a finite number; nothing of the batch was stored");
            }
            byte[] bytes = encoding.encode(x.vector());
            vec.setLong(1, id);
            vec.setDouble(2, x.startSeconds());
            vec.setBytes(3, bytes);
            double tempo = Double.isNaN(x.tempoBpm()) ? Double.NaN : x.tempoBpm();
            if (Double.isNaN(tempo)) {
              vec.setNull(4, java.sql.Types.REAL);
            } else {
              vec.setDouble(4, tempo);
            }
            vec.setInt(5, Checksums.excerpt(id, x.startSeconds(), bytes, tempo));
            vec.addBatch();
          }
          vec.executeBatch();
        }
      }
      return null;
    });
  }

  private void checkWritable() throws StoreException {
    if (readOnly) {
      throw new IllegalStateException(file + " was opened read-only");
    }
  }

  @Override
  public boolean canRelink() {
    return true;
  }

  @Override
  public boolean relink(String oldPath, TrackRecord updated) throws StoreException {
    return writeTransaction("relink", () -> {
      TrackRecord old = track(oldPath).orElse(null);
      if (old == null) {
        return false;
      }
      String path = storedPath(updated.path());
      try (PreparedStatement del = db.prepareStatement("DELETE FROM tracks WHERE (path = ? OR path = ?) AND id <> ?");
          PreparedStatement up = db.prepareStatement("UPDATE tracks SET path = ?, size = ?, mtime = ?, crc = ? WHERE id = ?")) {
        // a stale record already under the new path gives way (its excerpts go with it)
        del.setString(1, path);
        del.setString(2, updated.path());
        del.setLong(3, old.id());
        del.executeUpdate();
        up.setString(1, path);
        up.setLong(2, updated.size());
        up.setLong(3, updated.mtimeMillis());
        up.setInt(4, Checksums.track(path, updated.size(), updated.mtimeMillis(), old.hash(), old.durationSeconds(),
            old.excerpts(), old.problem(), old.tags()));
        up.setLong(5, old.id());
        up.executeUpdate();
      }
      return true;
    });
  }

  @Override
  public int remove(List<String> paths) throws StoreException {
    return writeTransaction("remove", () -> {
      int n = 0;
      try (PreparedStatement del = db.prepareStatement("DELETE FROM tracks WHERE path = ?")) {
        for (String p : paths) {
          del.setString(1, storedPath(p));
          n += del.executeUpdate();
          if (!storedPath(p).equals(p)) {
            del.setString(1, p);
            n += del.executeUpdate();
          }
        }
      }
      return n;
    });
  }

  /** {@inheritDoc} Upgrades an older file to the current schema in the same transaction. */
  @Override
  public void saveLsh(Snapshot snapshot, LshIndex index) throws StoreException {
    writeTransaction("saving LSH", () -> {
      lsh.save(snapshot, index);
      dropIvf();
      SqliteSchema.upgrade(db);
      checksummed = true;
      tagged = true;
      return null;
    });
  }

  /** {@inheritDoc} In table {@code meta}, key {@code note.KEY}. */
  @Override
  public void saveNote(String key, String value) throws StoreException {
    String k = VectorStore.noteKey(key);
    writeTransaction("saving a note", () -> {
      try (PreparedStatement ps = db.prepareStatement("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)")) {
        ps.setString(1, k);
        ps.setString(2, value);
        ps.executeUpdate();
      }
      return null;
    });
  }

  @Override
  public Optional<String> note(String key) throws StoreException {
    String k = VectorStore.noteKey(key);
    try (PreparedStatement ps = db.prepareStatement("SELECT value FROM meta WHERE key = ?")) {
      ps.setString(1, k);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new StoreException(file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Optional<StoredLsh> loadLsh(Snapshot snapshot) throws StoreException {
    return lsh.load(snapshot);
  }

  /** {@inheritDoc} In table {@code ivf}: one row, the {@link StoredIvf} value. */
  @Override
  public void saveIvf(Snapshot snapshot, IvfIndex index) throws StoreException {
    byte[] blob = StoredIvf.encode(snapshot, index);
    writeTransaction("saving IVF", () -> {
      try (Statement st = db.createStatement()) {
        st.execute("CREATE TABLE IF NOT EXISTS ivf (id INTEGER PRIMARY KEY CHECK (id = 1), value BLOB NOT NULL)");
        if (SqliteSchema.tableExists(db, "lsh_meta")) {
          st.execute("DELETE FROM lsh_meta");
          st.execute("DELETE FROM lsh_codes");
        }
      }
      try (PreparedStatement ps = db.prepareStatement("INSERT OR REPLACE INTO ivf(id, value) VALUES (1, ?)")) {
        ps.setBytes(1, blob);
        ps.executeUpdate();
      }
      SqliteSchema.upgrade(db);
      checksummed = true;
      tagged = true;
      return null;
    });
  }

  @Override
  public boolean approximateStored() throws StoreException {
    try {
      for (String table : new String[] {"ivf", "lsh_meta"}) {
        if (SqliteSchema.tableExists(db, table)) {
          try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery("SELECT 1 FROM " + table + " LIMIT 1")) {
            if (rs.next()) {
              return true;
            }
          }
        }
      }
      return false;
    } catch (SQLException e) {
      throw new StoreException(file + ": " + e.getMessage(), e);
    }
  }

  private void dropIvf() throws SQLException {
    if (SqliteSchema.tableExists(db, "ivf")) {
      try (Statement st = db.createStatement()) {
        st.execute("DELETE FROM ivf");
      }
    }
  }

  @Override
  public Optional<StoredIvf> loadIvf(Snapshot snapshot) throws StoreException {
    byte[] blob;
    try {
      if (!SqliteSchema.tableExists(db, "ivf")) {
        return Optional.empty();
      }
      try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery("SELECT value FROM ivf WHERE id = 1")) {
        if (!rs.next()) {
          return Optional.empty();
        }
        blob = rs.getBytes(1);
      }
    } catch (SQLException e) {
      throw new StoreException(file + ": reading the IVF index failed: " + e.getMessage(), e);
    }
    return StoredIvf.decode(blob == null ? new byte[0] : blob, snapshot, file.toString());
  }

  /** {@inheritDoc} The file and its write-ahead log. */
  @Override
  public long storedBytes() throws StoreException {
    try {
      java.nio.file.Path wal = java.nio.file.Path.of(file + "-wal");
      return java.nio.file.Files.size(file) + (java.nio.file.Files.isRegularFile(wal) ? java.nio.file.Files.size(wal) : 0);
    } catch (java.io.IOException e) {
      return -1;
    }
  }

  /** {@inheritDoc} One query of the tempo column: the vectors are not read (nor their checksums checked). */
  @Override
  public Map<Long, float[]> excerptTempi() throws StoreException {
    Map<Long, List<Float>> byTrack = new java.util.LinkedHashMap<>();
    String tempo = hasTempo() ? "tempo" : "NULL";
    try (Statement st = db.createStatement();
        ResultSet rs = st.executeQuery("SELECT track_id, " + tempo + " FROM excerpts ORDER BY track_id, start")) {
      while (rs.next()) {
        double t = rs.getDouble(2);
        float known = rs.wasNull() ? Float.NaN : (float) t; // before the next column is read
        byTrack.computeIfAbsent(rs.getLong(1), id -> new ArrayList<>()).add(known);
      }
    } catch (SQLException e) {
      throw new StoreException(file + ": " + e.getMessage(), e);
    }
    return Snapshot.tempiArrays(byTrack);
  }

  private boolean hasTempo() throws StoreException {
    try {
      return SqliteSchema.hasTempoColumn(db);
    } catch (SQLException e) {
      throw new StoreException(file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Snapshot snapshot() throws StoreException {
    // one read transaction: the tracks and their excerpts as of one moment, whatever another process writes
    return transaction("reading the index", this::readSnapshot);
  }

  Snapshot readSnapshot() throws StoreException {
    List<TrackRecord> tracks = tracks();
    Map<Long, Integer> index = new HashMap<>();
    long counted = 0;
    for (int i = 0; i < tracks.size(); i++) {
      index.put(tracks.get(i).id(), i);
      counted += tracks.get(i).excerpts();
    }
    int dim = config.dimension();
    long stored = countExcerpts();
    if (stored != counted) { // before allocating what the counts claim
      throw new StoreException(file + ": corrupt index (" + stored + " excerpts stored, tracks table counts " + counted
          + "); run: rhythmsearch check --index " + file);
    }
    if (counted * dim > Integer.MAX_VALUE - 16) {
      throw new StoreException(file + ": " + counted + " excerpts do not fit in one in-memory matrix");
    }
    int total = (int) counted;
    int[] perTrack = new int[tracks.size()];
    VectorMatrix.Builder vectors = VectorMatrix.builder(encoding, total, dim);
    int[] excerptTrack = new int[total];
    float[] excerptStart = new float[total];
    float[] excerptTempo = new float[total];
    int row = 0;
    try {
      boolean tempo = SqliteSchema.hasTempoColumn(db);
      try (Statement st = db.createStatement();
          ResultSet rs = st.executeQuery("SELECT track_id, start, vector, " + (tempo ? "tempo" : "NULL") + ", "
              + (checksummed ? "crc" : "NULL") + " FROM excerpts ORDER BY track_id, start")) {
        while (rs.next()) {
          if (row >= total) {
            throw new StoreException(file + ": corrupt index (more excerpts than the tracks table counts)");
          }
          Integer t = index.get(rs.getLong(1));
          byte[] blob = rs.getBytes(3);
          if (t == null) {
            throw new StoreException(file + ": corrupt index (an excerpt of track id " + rs.getLong(1)
                + ", which the tracks table does not hold)");
          }
          if (blob == null || blob.length != encoding.bytes(dim)) {
            throw new StoreException(file + ": corrupt index (excerpt of track " + rs.getLong(1) + " has "
                + (blob == null ? "no" : blob.length + " bytes of") + " vector; expected " + encoding.bytes(dim) + ")");
          }
          double start = rs.getDouble(2);
          double bpm = rs.getDouble(4);
          if (rs.wasNull()) {
            bpm = Double.NaN;
          }
          if (checksummed) {
            int crc = rs.getInt(5);
            if (rs.wasNull() || crc != Checksums.excerpt(rs.getLong(1), start, blob, bpm)) {
              throw new StoreException(file + ": damaged index: the excerpt of " + tracks.get(t).path() + " at " + start
                  + " s fails its checksum; run: rhythmsearch check --index " + file + " --repair");
            }
          }
          try {
            encoding.decode(blob, 0, dim, vectors, row);
          } catch (IllegalArgumentException e) {
            throw new StoreException(file + ": corrupt index (a vector of track " + tracks.get(t).path() + " at "
                + start + " s " + e.getMessage() + "; re-index that file)");
          }
          if (++perTrack[t] > tracks.get(t).excerpts()) {
            throw new StoreException(file + ": corrupt index (track " + tracks.get(t).path() + " has more excerpts than "
                + "its record counts, " + tracks.get(t).excerpts() + ")");
          }
          excerptTrack[row] = t;
          excerptStart[row] = (float) start;
          excerptTempo[row] = !(bpm > 0) ? Float.NaN : (float) bpm;
          row++;
        }
      }
    } catch (SQLException e) {
      throw new StoreException(file + ": " + e.getMessage(), e);
    }
    if (row != total) {
      throw new StoreException(file + ": corrupt index (" + row + " excerpts stored, tracks table counts " + total + ")");
    }
    return new Snapshot(config, tracks, vectors.build(), excerptTrack, excerptStart, excerptTempo);
  }

  @Override
  public CheckReport check() throws StoreException {
    return transaction("checking the index", () -> SqliteCheck.read(this, db));
  }

  @Override
  public int repair(CheckReport report) throws StoreException {
    return writeTransaction("repairing the index", () -> {
      int removed = 0;
      try (PreparedStatement del = db.prepareStatement("DELETE FROM tracks WHERE id = ?")) {
        for (TrackRecord t : report.damagedTracks()) {
          del.setLong(1, t.id());
          removed += del.executeUpdate();
        }
      }
      try (Statement st = db.createStatement()) {
        st.execute("DELETE FROM excerpts WHERE track_id NOT IN (SELECT id FROM tracks)");
        if (report.lshDamaged() && SqliteSchema.tableExists(db, "lsh_meta")) {
          st.execute("DELETE FROM lsh_meta");
          st.execute("DELETE FROM lsh_codes");
        }
        if (report.ivfDamaged()) {
          dropIvf();
        }
      }
      return removed;
    });
  }

  private long countExcerpts() throws StoreException {
    try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM excerpts")) {
      return rs.next() ? rs.getLong(1) : 0;
    } catch (SQLException e) {
      throw new StoreException(file + ": " + e.getMessage(), e);
    }
  }

  static boolean allFinite(float[] v, int from, int length) {
    for (int i = from, end = from + length; i < end; i++) {
      if (!Float.isFinite(v[i])) {
        return false;
      }
    }
    return true;
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException ignored) {
      // already failing
    }
  }

  @Override
  public void close() throws StoreException {
    try {
      db.close();
    } catch (SQLException e) {
      throw new StoreException(file + ": " + e.getMessage(), e);
    }
  }
}
