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
import org.rhythmsearch.features.ExcerptVector;
import org.rhythmsearch.features.FeatureConfig;
import org.rhythmsearch.index.LshIndex;
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
   * Schema version written by this code (2 adds the optional LSH tables, 3 each excerpt's tempo). Older
   * files are read (their excerpts have no tempo) and upgraded in place by the first write.
   */
  public static final int SCHEMA_VERSION = 3;
  /** Oldest schema version read. */
  public static final int SCHEMA_VERSION_START = 1;
  /**
   * Version of the stored LSH format: 1 has parameters, seed and codes (hyperplanes through the
   * origin); 2 adds the point the hyperplanes pass through ({@code center}). Both are read.
   */
  public static final int LSH_FORMAT_VERSION = 2;

  private static final String TRACK_COLUMNS = "id, path, size, mtime, hash, duration, excerpts, problem";

  private final Path file;
  private final Connection db;
  private final FeatureConfig config;
  private final SqliteLsh lsh;

  private SqliteStore(Path file, Connection db, FeatureConfig config) {
    this.file = file;
    this.db = db;
    this.config = config;
    this.lsh = new SqliteLsh(file.toString(), db);
  }

  /**
   * Opens {@code file}, creating a new index for {@code config} if the file does not exist or is empty
   * (its directory must exist). Creation is one immediate transaction: two processes creating the same
   * index at once both open it, one after the other.
   *
   * @throws StoreException when the file is not an index, has another schema version, or was built
   *     with another feature configuration
   */
  public static SqliteStore open(Path file, FeatureConfig config) throws StoreException {
    boolean exists = Files.exists(file);
    if (!exists) {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null && !Files.isDirectory(parent)) {
        throw new StoreException(file + ": cannot create the index: directory " + parent + " does not exist");
      }
    }
    return withConnection(file, db -> {
      FeatureConfig stored;
      try (Statement st = db.createStatement()) {
        st.execute("BEGIN IMMEDIATE"); // the write lock first: a second creator waits, then finds the tables
        try {
          if (!SqliteSchema.hasMeta(db)) {
            if (SqliteSchema.hasAnyTable(db)) {
              throw new StoreException(file + ": not a RhythmSearch index (an SQLite file without its tables)");
            }
            SqliteSchema.create(db, config);
          }
          stored = SqliteSchema.checkMeta(file, db);
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
      return new SqliteStore(file, db, stored);
    });
  }

  /**
   * Opens an existing index with whatever feature configuration it was built with.
   *
   * @throws StoreException when the file does not exist or is not a usable index
   */
  public static SqliteStore openExisting(Path file) throws StoreException {
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
    return withConnection(file, db -> {
      if (!SqliteSchema.hasMeta(db)) {
        throw new StoreException(file + ": not a RhythmSearch index (no meta table)");
      }
      SqliteStore store = new SqliteStore(file, db, SqliteSchema.checkMeta(file, db));
      SqliteSchema.useWriteAheadLog(db);
      return store;
    });
  }

  /** What is done with a new connection to open a store. */
  @FunctionalInterface
  private interface Opening {
    SqliteStore open(Connection db) throws SQLException, StoreException;
  }

  /** Connects to {@code file} and runs {@code opening}; on any failure the connection is closed and the reason reported. */
  private static SqliteStore withConnection(Path file, Opening opening) throws StoreException {
    Connection db = SqliteSchema.connect(file);
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
  public Path file() {
    return file;
  }

  @Override
  public String location() {
    return file.toString();
  }

  @Override
  public FeatureConfig config() {
    return config;
  }

  @Override
  public Optional<TrackRecord> track(String path) throws StoreException {
    try (PreparedStatement ps = db.prepareStatement("SELECT " + TRACK_COLUMNS + " FROM tracks WHERE path = ?")) {
      ps.setString(1, path);
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
        ResultSet rs = st.executeQuery("SELECT " + TRACK_COLUMNS + " FROM tracks ORDER BY id")) {
      while (rs.next()) {
        out.add(record(rs));
      }
      return out;
    } catch (SQLException e) {
      throw new StoreException(file + ": " + e.getMessage(), e);
    }
  }

  private static TrackRecord record(ResultSet rs) throws SQLException {
    return new TrackRecord(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getString(5),
        rs.getDouble(6), rs.getInt(7), rs.getString(8));
  }

  /** Work done inside one transaction. */
  @FunctionalInterface
  private interface Work<T> {
    T run() throws SQLException, StoreException;
  }

  /** Runs {@code work} in one transaction: committed whole, or rolled back and reported as {@code what} failed. */
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
      if (e instanceof StoreException se) {
        throw se;
      }
      throw new StoreException(file + ": " + what + " failed, rolled back: " + e.getMessage(), e);
    } finally {
      try {
        db.setAutoCommit(true);
      } catch (SQLException ignored) {
        // the connection is unusable; the next call reports it
      }
    }
  }

  @Override
  public void write(List<Entry> batch) throws StoreException {
    transaction("write", () -> {
      SqliteSchema.upgrade(db);
      try (PreparedStatement del = db.prepareStatement("DELETE FROM tracks WHERE path = ?");
          PreparedStatement ins = db.prepareStatement(
              "INSERT INTO tracks(path, size, mtime, hash, duration, excerpts, problem) VALUES (?, ?, ?, ?, ?, ?, ?)",
              Statement.RETURN_GENERATED_KEYS);
          PreparedStatement vec = db.prepareStatement(
              "INSERT INTO excerpts(track_id, start, vector, tempo) VALUES (?, ?, ?, ?)")) {
        for (Entry e : batch) {
          TrackRecord t = e.track();
          del.setString(1, t.path());
          del.executeUpdate();
          ins.setString(1, t.path());
          ins.setLong(2, t.size());
          ins.setLong(3, t.mtimeMillis());
          ins.setString(4, t.hash());
          ins.setDouble(5, t.durationSeconds());
          ins.setInt(6, e.excerpts().size());
          ins.setString(7, t.problem());
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
            vec.setLong(1, id);
            vec.setDouble(2, x.startSeconds());
            vec.setBytes(3, toBytes(x.vector()));
            if (Double.isNaN(x.tempoBpm())) {
              vec.setNull(4, java.sql.Types.REAL);
            } else {
              vec.setDouble(4, x.tempoBpm());
            }
            vec.addBatch();
          }
          vec.executeBatch();
        }
      }
      return null;
    });
  }

  @Override
  public int remove(List<String> paths) throws StoreException {
    return transaction("remove", () -> {
      int n = 0;
      try (PreparedStatement del = db.prepareStatement("DELETE FROM tracks WHERE path = ?")) {
        for (String p : paths) {
          del.setString(1, p);
          n += del.executeUpdate();
        }
      }
      return n;
    });
  }

  /** {@inheritDoc} Upgrades an older file to the current schema in the same transaction. */
  @Override
  public void saveLsh(Snapshot snapshot, LshIndex index) throws StoreException {
    transaction("saving LSH", () -> {
      lsh.save(snapshot, index);
      SqliteSchema.upgrade(db);
      return null;
    });
  }

  @Override
  public Optional<StoredLsh> loadLsh(Snapshot snapshot) throws StoreException {
    return lsh.load(snapshot);
  }

  @Override
  public Snapshot snapshot() throws StoreException {
    // one read transaction: the tracks and their excerpts as of one moment, whatever another process writes
    return transaction("reading the index", this::readSnapshot);
  }

  private Snapshot readSnapshot() throws StoreException {
    List<TrackRecord> tracks = tracks();
    Map<Long, Integer> index = new HashMap<>();
    int total = 0;
    for (int i = 0; i < tracks.size(); i++) {
      index.put(tracks.get(i).id(), i);
      total += tracks.get(i).excerpts();
    }
    int dim = config.dimension();
    float[] data = new float[total * dim];
    int[] excerptTrack = new int[total];
    float[] excerptStart = new float[total];
    float[] excerptTempo = new float[total];
    int row = 0;
    try {
      boolean tempo = SqliteSchema.hasTempoColumn(db);
      try (Statement st = db.createStatement();
          ResultSet rs = st.executeQuery("SELECT track_id, start, vector, " + (tempo ? "tempo" : "NULL")
              + " FROM excerpts ORDER BY track_id, start")) {
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
          if (blob == null || blob.length != dim * 4) {
            throw new StoreException(file + ": corrupt index (excerpt of track " + rs.getLong(1) + " has "
                + (blob == null ? "no" : blob.length + " bytes of") + " vector; expected " + dim * 4 + ")");
          }
          ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data, row * dim, dim);
          if (!allFinite(data, row * dim, dim)) {
            throw new StoreException(file + ": corrupt index (a vector of track " + tracks.get(t).path() + " at "
                + rs.getDouble(2) + " s holds a value that is not a finite number; re-index that file)");
          }
          excerptTrack[row] = t;
          excerptStart[row] = (float) rs.getDouble(2);
          double bpm = rs.getDouble(4);
          excerptTempo[row] = rs.wasNull() || !(bpm > 0) ? Float.NaN : (float) bpm;
          row++;
        }
      }
    } catch (SQLException e) {
      throw new StoreException(file + ": " + e.getMessage(), e);
    }
    if (row != total) {
      throw new StoreException(file + ": corrupt index (" + row + " excerpts stored, tracks table counts " + total + ")");
    }
    return new Snapshot(config, tracks, new VectorMatrix(data, dim), excerptTrack, excerptStart, excerptTempo);
  }

  private static boolean allFinite(float[] v, int from, int length) {
    for (int i = from, end = from + length; i < end; i++) {
      if (!Float.isFinite(v[i])) {
        return false;
      }
    }
    return true;
  }

  private static byte[] toBytes(float[] v) {
    ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(v);
    return b.array();
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
