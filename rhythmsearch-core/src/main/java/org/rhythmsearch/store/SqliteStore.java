package org.rhythmsearch.store;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
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
import org.rhythmsearch.features.FeatureConfigs;
import org.rhythmsearch.index.VectorMatrix;

/**
 * The embedded index: one SQLite file holding the feature configuration, the tracks and their
 * excerpt vectors (little-endian float32 blobs).
 *
 * <p>Format: table {@code meta} carries {@code format = rhythmsearch-index}, {@code schemaVersion}
 * (readers accept {@value #SCHEMA_VERSION} only and say whether a file is too old or too new) and the
 * feature configuration's id and canonical parameter string; an index opened with another
 * configuration is refused. Writes happen in transactions of whole tracks, so an interrupted run keeps
 * every committed track and leaves no half-written one.
 *
 * <p>Not thread-safe (one JDBC connection); use from one thread, or open one store per thread.
 */
public final class SqliteStore implements AutoCloseable {

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

  private final Path file;
  private final Connection db;
  private final FeatureConfig config;

  private SqliteStore(Path file, Connection db, FeatureConfig config) {
    this.file = file;
    this.db = db;
    this.config = config;
  }

  /**
   * Opens {@code file}, creating a new index for {@code config} if the file does not exist.
   *
   * @throws StoreException when the file is not an index, has another schema version, or was built
   *     with another feature configuration
   */
  public static SqliteStore open(Path file, FeatureConfig config) throws StoreException {
    boolean exists = Files.exists(file);
    Connection db = connect(file);
    try {
      if (!exists || !hasMeta(db)) {
        if (exists && hasAnyTable(db)) {
          throw new StoreException(file + ": not a RhythmSearch index (an SQLite file without its tables)");
        }
        create(db, config);
        return new SqliteStore(file, db, config);
      }
      FeatureConfig stored = checkMeta(file, db);
      if (!stored.canonical().equals(config.canonical())) {
        throw new StoreException(file + ": index was built with feature " + stored.id() + "; this run uses "
            + config.id() + " (use --feature " + stored.name() + ", or a new index file)");
      }
      return new SqliteStore(file, db, stored);
    } catch (StoreException e) {
      closeQuietly(db);
      throw e;
    } catch (SQLException e) {
      closeQuietly(db);
      throw new StoreException(file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Opens an existing index with whatever feature configuration it was built with.
   *
   * @throws StoreException when the file does not exist or is not a usable index
   */
  public static SqliteStore openExisting(Path file) throws StoreException {
    if (!Files.isRegularFile(file)) {
      throw new StoreException(file + ": no such index file");
    }
    Connection db = connect(file);
    try {
      if (!hasMeta(db)) {
        throw new StoreException(file + ": not a RhythmSearch index (no meta table)");
      }
      return new SqliteStore(file, db, checkMeta(file, db));
    } catch (StoreException e) {
      closeQuietly(db);
      throw e;
    } catch (SQLException e) {
      closeQuietly(db);
      throw new StoreException(file + ": " + e.getMessage(), e);
    }
  }

  private static Connection connect(Path file) throws StoreException {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Connection db = DriverManager.getConnection("jdbc:sqlite:" + file);
      try (Statement st = db.createStatement()) {
        st.execute("PRAGMA foreign_keys = ON");
        st.execute("PRAGMA journal_mode = WAL");
        st.execute("PRAGMA synchronous = NORMAL");
      }
      return db;
    } catch (SQLException | java.io.IOException e) {
      throw new StoreException(file + ": cannot open index: " + e.getMessage(), e);
    }
  }

  private static boolean hasMeta(Connection db) throws SQLException {
    try (Statement st = db.createStatement();
        ResultSet rs = st.executeQuery("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'")) {
      return rs.next();
    } catch (SQLException e) {
      if (e.getMessage() != null && e.getMessage().contains("not a database")) {
        return false;
      }
      throw e;
    }
  }

  private static boolean hasAnyTable(Connection db) throws SQLException {
    try (Statement st = db.createStatement();
        ResultSet rs = st.executeQuery("SELECT 1 FROM sqlite_master WHERE type = 'table'")) {
      return rs.next();
    }
  }

  private static void create(Connection db, FeatureConfig config) throws SQLException {
    db.setAutoCommit(false);
    try (Statement st = db.createStatement()) {
      st.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
      st.execute("CREATE TABLE tracks (id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE, size INTEGER NOT NULL, "
          + "mtime INTEGER NOT NULL, hash TEXT NOT NULL, duration REAL NOT NULL, excerpts INTEGER NOT NULL, problem TEXT)");
      st.execute("CREATE INDEX tracks_hash ON tracks(hash)");
      st.execute("CREATE TABLE excerpts (track_id INTEGER NOT NULL REFERENCES tracks(id) ON DELETE CASCADE, "
          + "start REAL NOT NULL, vector BLOB NOT NULL, tempo REAL, PRIMARY KEY (track_id, start))");
    }
    Map<String, String> meta = new HashMap<>();
    meta.put("format", FORMAT);
    meta.put("schemaVersion", Integer.toString(SCHEMA_VERSION));
    meta.put("featureId", config.id());
    meta.put("featureCanonical", config.canonical());
    meta.put("dimension", Integer.toString(config.dimension()));
    try (PreparedStatement ps = db.prepareStatement("INSERT INTO meta(key, value) VALUES (?, ?)")) {
      for (Map.Entry<String, String> e : meta.entrySet()) {
        ps.setString(1, e.getKey());
        ps.setString(2, e.getValue());
        ps.executeUpdate();
      }
    }
    db.commit();
    db.setAutoCommit(true);
  }

  private static FeatureConfig checkMeta(Path file, Connection db) throws SQLException, StoreException {
    Map<String, String> meta = new HashMap<>();
    try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery("SELECT key, value FROM meta")) {
      while (rs.next()) {
        meta.put(rs.getString(1), rs.getString(2));
      }
    }
    if (!FORMAT.equals(meta.get("format"))) {
      throw new StoreException(file + ": not a RhythmSearch index (format '" + meta.get("format") + "')");
    }
    int version;
    try {
      version = Integer.parseInt(meta.getOrDefault("schemaVersion", "?"));
    } catch (NumberFormatException e) {
      throw new StoreException(file + ": corrupt index (schemaVersion '" + meta.get("schemaVersion") + "')");
    }
    if (version > SCHEMA_VERSION) {
      throw new StoreException(file + ": index schema version " + version + " is newer than this rhythmsearch reads ("
          + SCHEMA_VERSION + "); upgrade rhythmsearch");
    }
    if (version < SCHEMA_VERSION_START) {
      throw new StoreException(file + ": index schema version " + version + " is older than this rhythmsearch reads ("
          + SCHEMA_VERSION_START + "); rebuild the index");
    }
    String id = meta.get("featureId");
    String canonical = meta.get("featureCanonical");
    String name = id == null ? "" : id.substring(0, Math.max(0, id.indexOf('@')));
    FeatureConfig known;
    try {
      known = FeatureConfigs.byName(name);
    } catch (IllegalArgumentException e) {
      throw new StoreException(file + ": index was built with feature " + id + ", which this rhythmsearch does not know");
    }
    if (!known.canonical().equals(canonical)) {
      throw new StoreException(file + ": index was built with feature " + id + " with other parameters than this "
          + "rhythmsearch's " + known.id() + "; rebuild the index");
    }
    return known;
  }

  /** The index file. */
  public Path file() {
    return file;
  }

  /** The feature configuration of every vector in this index. */
  public FeatureConfig config() {
    return config;
  }

  /** The record stored for {@code path}, if any. */
  public Optional<TrackRecord> track(String path) throws StoreException {
    try (PreparedStatement ps = db.prepareStatement(
        "SELECT id, path, size, mtime, hash, duration, excerpts, problem FROM tracks WHERE path = ?")) {
      ps.setString(1, path);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(record(rs)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new StoreException(file + ": " + e.getMessage(), e);
    }
  }

  /** All tracks, in id order. */
  public List<TrackRecord> tracks() throws StoreException {
    List<TrackRecord> out = new ArrayList<>();
    try (Statement st = db.createStatement();
        ResultSet rs = st.executeQuery("SELECT id, path, size, mtime, hash, duration, excerpts, problem FROM tracks ORDER BY id")) {
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

  /** A track and its vectors, to be written together. */
  public record Entry(TrackRecord track, List<ExcerptVector> excerpts) {}

  /**
   * Writes a batch of tracks in one transaction: each replaces any record with the same path (its
   * old excerpts are deleted). Either the whole batch is stored or none of it.
   */
  public void write(List<Entry> batch) throws StoreException {
    try {
      db.setAutoCommit(false);
      upgrade();
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
      db.commit();
    } catch (SQLException | StoreException e) {
      rollbackQuietly();
      if (e instanceof StoreException se) {
        throw se;
      }
      throw new StoreException(file + ": write failed, batch rolled back: " + e.getMessage(), e);
    } finally {
      try {
        db.setAutoCommit(true);
      } catch (SQLException ignored) {
        // the connection is unusable; the next call reports it
      }
    }
  }

  /**
   * Removes the tracks with these paths (and their vectors) in one transaction.
   *
   * @return the number of tracks removed
   */
  public int remove(List<String> paths) throws StoreException {
    try {
      db.setAutoCommit(false);
      int n = 0;
      try (PreparedStatement del = db.prepareStatement("DELETE FROM tracks WHERE path = ?")) {
        for (String p : paths) {
          del.setString(1, p);
          n += del.executeUpdate();
        }
      }
      db.commit();
      return n;
    } catch (SQLException e) {
      rollbackQuietly();
      throw new StoreException(file + ": remove failed, rolled back: " + e.getMessage(), e);
    } finally {
      try {
        db.setAutoCommit(true);
      } catch (SQLException ignored) {
        // reported by the next call
      }
    }
  }

  /**
   * LSH parameters, the codes of every snapshot row ({@code codes[table][row]}) and the point the
   * hyperplanes pass through.
   */
  public record StoredLsh(org.rhythmsearch.index.LshIndex.Params params, int[][] codes, float[] center) {}

  /**
   * Stores LSH parameters (with the hyperplane seed) and the codes of every row of {@code snapshot}
   * in one transaction, replacing any stored LSH; upgrades an older file to the current schema.
   */
  public void saveLsh(Snapshot snapshot, org.rhythmsearch.index.LshIndex lsh) throws StoreException {
    var p = lsh.params();
    try {
      db.setAutoCommit(false);
      try (Statement st = db.createStatement()) {
        st.execute("CREATE TABLE IF NOT EXISTS lsh_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
        st.execute("CREATE TABLE IF NOT EXISTS lsh_codes (track_id INTEGER NOT NULL REFERENCES tracks(id) ON DELETE CASCADE, "
            + "start REAL NOT NULL, codes BLOB NOT NULL, PRIMARY KEY (track_id, start))");
        st.execute("DELETE FROM lsh_meta");
        st.execute("DELETE FROM lsh_codes");
      }
      upgrade();
      try (PreparedStatement ps = db.prepareStatement("INSERT INTO lsh_meta(key, value) VALUES (?, ?)")) {
        String[][] kv = {{"format", Integer.toString(LSH_FORMAT_VERSION)}, {"bits", Integer.toString(p.bits())},
            {"tables", Integer.toString(p.tables())}, {"probes", Integer.toString(p.probes())},
            {"rerank", Integer.toString(p.rerank())},
            {"seed", Long.toString(p.seed())}, {"rows", Integer.toString(snapshot.vectors().rows())},
            {"center", encodeFloats(lsh.center())}};
        for (String[] e : kv) {
          ps.setString(1, e[0]);
          ps.setString(2, e[1]);
          ps.executeUpdate();
        }
      }
      int[][] codes = new int[p.tables()][];
      for (int t = 0; t < p.tables(); t++) {
        codes[t] = lsh.rowCodes(t);
      }
      try (PreparedStatement ps = db.prepareStatement("INSERT INTO lsh_codes(track_id, start, codes) VALUES (?, ?, ?)")) {
        for (int r = 0; r < snapshot.vectors().rows(); r++) {
          ByteBuffer b = ByteBuffer.allocate(4 * p.tables()).order(ByteOrder.LITTLE_ENDIAN);
          for (int t = 0; t < p.tables(); t++) {
            b.putInt(codes[t][r]);
          }
          ps.setLong(1, snapshot.tracks().get(snapshot.excerptTrack()[r]).id());
          ps.setDouble(2, snapshot.excerptStart()[r]);
          ps.setBytes(3, b.array());
          ps.addBatch();
        }
        ps.executeBatch();
      }
      db.commit();
    } catch (SQLException e) {
      rollbackQuietly();
      throw new StoreException(file + ": saving LSH failed, rolled back: " + e.getMessage(), e);
    } finally {
      try {
        db.setAutoCommit(true);
      } catch (SQLException ignored) {
        // reported by the next call
      }
    }
  }

  /**
   * The stored LSH for {@code snapshot}, if there is one that still covers every row; codes are in
   * snapshot row order.
   *
   * @throws StoreException for an LSH format this code does not read, or codes that do not match
   */
  public Optional<StoredLsh> loadLsh(Snapshot snapshot) throws StoreException {
    try {
      if (!tableExists("lsh_meta")) {
        return Optional.empty();
      }
      Map<String, String> m = new HashMap<>();
      try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery("SELECT key, value FROM lsh_meta")) {
        while (rs.next()) {
          m.put(rs.getString(1), rs.getString(2));
        }
      }
      if (m.isEmpty()) {
        return Optional.empty();
      }
      if (!"1".equals(m.get("format")) && !Integer.toString(LSH_FORMAT_VERSION).equals(m.get("format"))) {
        throw new StoreException(file + ": LSH format " + m.get("format") + " is not one this rhythmsearch reads (1 to "
            + LSH_FORMAT_VERSION + "); rebuild it with index --lsh");
      }
      int dim = snapshot.vectors().dim();
      float[] center = "1".equals(m.get("format")) ? new float[dim] : decodeFloats(m.get("center"));
      if (center == null || center.length != dim) {
        throw new StoreException(file + ": corrupt LSH tables: the stored center does not have dimension " + dim
            + "; rebuild it with index --lsh");
      }
      var p = new org.rhythmsearch.index.LshIndex.Params(Integer.parseInt(m.get("bits")), Integer.parseInt(m.get("tables")),
          Integer.parseInt(m.get("probes")), Integer.parseInt(m.getOrDefault("rerank", "0")), Long.parseLong(m.get("seed")));
      if (Integer.parseInt(m.get("rows")) != snapshot.vectors().rows()) {
        return Optional.empty(); // tracks were added or removed since: stale
      }
      Map<Long, Integer> trackIndex = new HashMap<>();
      for (int i = 0; i < snapshot.tracks().size(); i++) {
        trackIndex.put(snapshot.tracks().get(i).id(), i);
      }
      int n = snapshot.vectors().rows();
      int[][] codes = new int[p.tables()][n];
      int row = 0;
      try (Statement st = db.createStatement();
          ResultSet rs = st.executeQuery("SELECT track_id, start, codes FROM lsh_codes ORDER BY track_id, start")) {
        while (rs.next()) {
          byte[] blob = rs.getBytes(3);
          if (row >= n || blob == null || blob.length != 4 * p.tables()
              || snapshot.excerptTrack()[row] != trackIndex.getOrDefault(rs.getLong(1), -1)
              || snapshot.excerptStart()[row] != (float) rs.getDouble(2)) {
            return Optional.empty(); // stale or partial
          }
          ByteBuffer b = ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN);
          for (int t = 0; t < p.tables(); t++) {
            codes[t][row] = b.getInt();
          }
          row++;
        }
      }
      if (row != n) {
        return Optional.empty();
      }
      return Optional.of(new StoredLsh(p, codes, center));
    } catch (SQLException | NumberFormatException e) {
      throw new StoreException(file + ": corrupt LSH tables: " + e.getMessage(), e);
    }
  }

  /**
   * The stored LSH index over {@code snapshot}, if one is stored and current; its codes are checked
   * against the hyperplanes its seed generates (on up to 256 rows), so a stored index answers exactly
   * as it did when built, or is refused.
   */
  public Optional<org.rhythmsearch.index.LshIndex> lshIndex(Snapshot snapshot) throws StoreException {
    Optional<StoredLsh> stored = loadLsh(snapshot);
    if (stored.isEmpty()) {
      return Optional.empty();
    }
    var lsh = new org.rhythmsearch.index.LshIndex(snapshot.vectors(), stored.get().params(), stored.get().codes(),
        stored.get().center());
    int n = snapshot.vectors().rows();
    for (int i = 0; i < Math.min(n, 256); i++) {
      int r = (int) ((long) i * n / Math.min(n, 256));
      for (int t = 0; t < stored.get().params().tables(); t++) {
        if (lsh.computeCode(t, r) != stored.get().codes()[t][r]) {
          throw new StoreException(file + ": stored LSH codes do not match the hyperplanes of seed "
              + stored.get().params().seed() + " (row " + r + ", table " + t + "); rebuild them with index --lsh");
        }
      }
    }
    return Optional.of(lsh);
  }

  /** Little-endian IEEE floats in Base64: exact, so a reloaded center hashes bit for bit as before. */
  private static String encodeFloats(float[] v) {
    ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float x : v) {
      b.putFloat(x);
    }
    return java.util.Base64.getEncoder().encodeToString(b.array());
  }

  /** The inverse of {@link #encodeFloats}; null for a missing or malformed value. */
  private static float[] decodeFloats(String s) {
    if (s == null) {
      return null;
    }
    byte[] bytes;
    try {
      bytes = java.util.Base64.getDecoder().decode(s);
    } catch (IllegalArgumentException e) {
      return null;
    }
    if (bytes.length % 4 != 0) {
      return null;
    }
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    float[] v = new float[bytes.length / 4];
    for (int i = 0; i < v.length; i++) {
      v[i] = b.getFloat();
    }
    return v;
  }

  private boolean tableExists(String name) throws SQLException {
    try (PreparedStatement ps = db.prepareStatement("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  /** Loads every track and vector for searching (vectors into one contiguous array). */
  public Snapshot snapshot() throws StoreException {
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
    boolean tempo;
    try {
      tempo = hasTempoColumn();
    } catch (SQLException e) {
      throw new StoreException(file + ": " + e.getMessage(), e);
    }
    try (Statement st = db.createStatement();
        ResultSet rs = st.executeQuery("SELECT track_id, start, vector, " + (tempo ? "tempo" : "NULL")
            + " FROM excerpts ORDER BY track_id, start")) {
      while (rs.next()) {
        if (row >= total) {
          throw new StoreException(file + ": corrupt index (more excerpts than the tracks table counts)");
        }
        Integer t = index.get(rs.getLong(1));
        byte[] blob = rs.getBytes(3);
        if (t == null || blob == null || blob.length != dim * 4) {
          throw new StoreException(file + ": corrupt index (excerpt of track " + rs.getLong(1) + " has "
              + (blob == null ? "no" : blob.length + " bytes of") + " vector; expected " + dim * 4 + ")");
        }
        ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data, row * dim, dim);
        excerptTrack[row] = t;
        excerptStart[row] = (float) rs.getDouble(2);
        double bpm = rs.getDouble(4);
        excerptTempo[row] = rs.wasNull() || !(bpm > 0) ? Float.NaN : (float) bpm;
        row++;
      }
    } catch (SQLException e) {
      throw new StoreException(file + ": " + e.getMessage(), e);
    }
    if (row != total) {
      throw new StoreException(file + ": corrupt index (" + row + " excerpts stored, tracks table counts " + total + ")");
    }
    return new Snapshot(config, tracks, new VectorMatrix(data, dim), excerptTrack, excerptStart, excerptTempo);
  }

  private boolean hasTempoColumn() throws SQLException {
    try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery("PRAGMA table_info(excerpts)")) {
      while (rs.next()) {
        if ("tempo".equals(rs.getString("name"))) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Brings an older file to {@link #SCHEMA_VERSION} inside the caller's transaction: version 3 adds the
   * excerpts' tempo column (NULL, i.e. unknown, for excerpts stored before).
   */
  private void upgrade() throws SQLException {
    if (!hasTempoColumn()) {
      try (Statement st = db.createStatement()) {
        st.execute("ALTER TABLE excerpts ADD COLUMN tempo REAL");
      }
    }
    try (Statement st = db.createStatement()) {
      st.execute("UPDATE meta SET value = '" + SCHEMA_VERSION + "' WHERE key = 'schemaVersion'");
    }
  }

  private static byte[] toBytes(float[] v) {
    ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(v);
    return b.array();
  }

  private void rollbackQuietly() {
    try {
      db.rollback();
    } catch (SQLException ignored) {
      // the original error is reported
    }
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
