package org.rhythmsearch.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import org.rhythmsearch.features.FeatureConfig;
import org.rhythmsearch.features.FeatureConfigs;
import org.rhythmsearch.index.VectorEncoding;
import org.rhythmsearch.util.Named;

/**
 * The SQLite file's layout: connection settings, table creation, the {@code meta} check (format,
 * schema version, feature configuration) and the in-place upgrade of older schema versions.
 *
 * <p>Stateless; the connection passed in is used from one thread.
 */
final class SqliteSchema {

  private SqliteSchema() {}

  /**
   * Opens a connection with foreign keys on, waiting up to {@value #BUSY_MILLIS} ms for another process's
   * write lock. Nothing is written: the write-ahead log is switched on ({@link #useWriteAheadLog}) only
   * once the file is known to be an index, so another program's SQLite file is left as it is.
   */
  static Connection connect(Path file) throws StoreException {
    try {
      Connection db = DriverManager.getConnection("jdbc:sqlite:" + file);
      try (Statement st = db.createStatement()) {
        st.execute("PRAGMA foreign_keys = ON");
        st.execute("PRAGMA busy_timeout = " + BUSY_MILLIS);
        // 8 KB pages: seven int8 excerpt rows of ~1.1 KB fill a page where 4 KB pages hold three (measured
        // on 20 000 rows: 1 187 against 1 383 B of file per excerpt). Only a new (empty) file takes it; an
        // existing file keeps its own pages, nothing is written here.
        st.execute("PRAGMA page_size = " + PAGE_SIZE);
      }
      return db;
    } catch (SQLException e) {
      throw new StoreException(file + ": cannot open index: " + e.getMessage(), e);
    }
  }

  /**
   * Opens a read-only connection: nothing is ever written to the file. A write-ahead-log index in a
   * folder the user cannot write (where SQLite cannot create its shared-memory file) is opened as
   * immutable instead: read as it is, which is right there since no one can be writing through the
   * log in that folder either.
   */
  static Connection connectReadOnly(Path file) throws StoreException {
    try {
      Connection db = readOnly("jdbc:sqlite:" + file);
      try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM sqlite_master")) {
        rs.next();
        return db;
      } catch (SQLException e) {
        db.close();
        String m = String.valueOf(e.getMessage());
        if (!m.contains("READONLY") && !m.contains("CANTOPEN")) {
          throw e;
        }
        return readOnly("jdbc:sqlite:" + file.toAbsolutePath().toUri() + "?immutable=1");
      }
    } catch (SQLException e) {
      throw new StoreException(file + ": cannot open index: " + e.getMessage(), e);
    }
  }

  private static Connection readOnly(String url) throws SQLException {
    org.sqlite.SQLiteConfig c = new org.sqlite.SQLiteConfig();
    c.setReadOnly(true);
    c.setBusyTimeout(BUSY_MILLIS);
    c.enforceForeignKeys(true);
    return DriverManager.getConnection(url, c.toProperties());
  }

  /** How long a connection waits for another process's write lock, milliseconds. */
  static final int BUSY_MILLIS = 30_000;

  /**
   * The write-ahead log (readers never see a partial write; one writer, many readers). Switching needs
   * the file to itself for a moment; when another connection holds it (two processes opening a new
   * index at once), SQLite answers "busy" at once instead of waiting, so the switch is retried for up to
   * {@value #BUSY_MILLIS} ms.
   */
  static void useWriteAheadLog(Connection db) throws SQLException {
    long deadline = System.nanoTime() + BUSY_MILLIS * 1_000_000L;
    try (Statement st = db.createStatement()) {
      while (true) {
        try {
          st.execute("PRAGMA journal_mode = WAL");
          break;
        } catch (SQLException e) {
          if (e.getMessage() == null || !e.getMessage().contains("SQLITE_BUSY") || System.nanoTime() > deadline) {
            throw e;
          }
          try {
            Thread.sleep(5);
          } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw e;
          }
        }
      }
      st.execute("PRAGMA synchronous = NORMAL");
    }
  }

  /** Whether the file has the {@code meta} table (false for a file that is not an SQLite database). */
  static boolean hasMeta(Connection db) throws SQLException {
    try {
      return tableExists(db, "meta");
    } catch (SQLException e) {
      if (e.getMessage() != null && e.getMessage().contains("not a database")) {
        return false;
      }
      throw e;
    }
  }

  static boolean hasAnyTable(Connection db) throws SQLException {
    try (Statement st = db.createStatement();
        ResultSet rs = st.executeQuery("SELECT 1 FROM sqlite_master WHERE type = 'table'")) {
      return rs.next();
    }
  }

  static boolean tableExists(Connection db, String name) throws SQLException {
    try (PreparedStatement ps = db.prepareStatement("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  /**
   * Creates the tables of the current schema version for vectors of {@code config} held as {@code
   * encoding}, in the caller's transaction.
   */
  static void create(Connection db, FeatureConfig config, VectorEncoding encoding) throws SQLException {
    try (Statement st = db.createStatement()) {
      st.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
      st.execute("CREATE TABLE tracks (id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE, size INTEGER NOT NULL, "
          + "mtime INTEGER NOT NULL, hash TEXT NOT NULL, duration REAL NOT NULL, excerpts INTEGER NOT NULL, problem TEXT, "
          + "crc INTEGER, title TEXT, artist TEXT, album TEXT)");
      st.execute("CREATE INDEX tracks_hash ON tracks(hash)");
      st.execute("CREATE TABLE excerpts (track_id INTEGER NOT NULL REFERENCES tracks(id) ON DELETE CASCADE, "
          + "start REAL NOT NULL, vector BLOB NOT NULL, tempo REAL, crc INTEGER, PRIMARY KEY (track_id, start))");
    }
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("format", SqliteStore.FORMAT);
    meta.put("schemaVersion", Integer.toString(SqliteStore.SCHEMA_VERSION));
    meta.put("featureId", config.id());
    meta.put("featureCanonical", config.canonical());
    meta.put("dimension", Integer.toString(config.dimension()));
    meta.put(VECTORS_KEY, encoding.id());
    try (PreparedStatement ps = db.prepareStatement("INSERT INTO meta(key, value) VALUES (?, ?)")) {
      for (Map.Entry<String, String> e : meta.entrySet()) {
        ps.setString(1, e.getKey());
        ps.setString(2, e.getValue());
        ps.executeUpdate();
      }
    }
  }

  /**
   * Checks the {@code meta} table: format, a schema version this code reads, and a feature
   * configuration it knows with the same parameters.
   *
   * @return the stored feature configuration
   */
  static FeatureConfig checkMeta(Path file, Connection db) throws SQLException, StoreException {
    Map<String, String> meta = new LinkedHashMap<>();
    try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery("SELECT key, value FROM meta")) {
      while (rs.next()) {
        meta.put(rs.getString(1), rs.getString(2));
      }
    }
    if (!SqliteStore.FORMAT.equals(meta.get("format"))) {
      throw new StoreException(file + ": not a RhythmSearch index (format '" + meta.get("format") + "')");
    }
    int version;
    try {
      version = Integer.parseInt(meta.getOrDefault("schemaVersion", "?"));
    } catch (NumberFormatException e) {
      throw new StoreException(file + ": corrupt index (schemaVersion '" + meta.get("schemaVersion") + "')");
    }
    if (version > SqliteStore.SCHEMA_VERSION) {
      throw new StoreException(file + ": index schema version " + version + " is newer than this rhythmsearch reads ("
          + SqliteStore.SCHEMA_VERSION + "); upgrade rhythmsearch");
    }
    if (version < SqliteStore.SCHEMA_VERSION_START) {
      throw new StoreException(file + ": index schema version " + version + " is older than this rhythmsearch reads ("
          + SqliteStore.SCHEMA_VERSION_START + "); rebuild the index");
    }
    return knownConfig(file.toString(), meta.get("featureId"), meta.get("featureCanonical"));
  }

  /**
   * The feature configuration a store records by id and canonical parameters, if this code knows it
   * with the same parameters.
   */
  static FeatureConfig knownConfig(String location, String id, String canonical) throws StoreException {
    String name = id == null ? "" : id.substring(0, Math.max(0, id.indexOf('@')));
    FeatureConfig known;
    try {
      known = FeatureConfigs.byName(name);
    } catch (IllegalArgumentException e) {
      throw new StoreException(location + ": index was built with feature " + id + ", which this rhythmsearch does not know");
    }
    if (!known.canonical().equals(canonical)) {
      throw new StoreException(location + ": index was built with feature " + id + " with other parameters than this "
          + "rhythmsearch's " + known.id() + "; rebuild the index");
    }
    return known;
  }

  /** The page size of a new index file, bytes. */
  static final int PAGE_SIZE = 8192;

  /** The meta key of the vectors' encoding (schema 6; float32 where absent). */
  static final String VECTORS_KEY = "vectors";

  /** How the file holds its vectors: {@code meta.vectors}, float32 for files written before schema 6. */
  static VectorEncoding encoding(Path file, Connection db) throws SQLException, StoreException {
    String id = metaValue(db, VECTORS_KEY);
    try {
      return id == null ? VectorEncoding.FLOAT32 : Named.byId(VectorEncoding.class, id, "vector encoding");
    } catch (IllegalArgumentException e) {
      throw new StoreException(file + ": corrupt index (" + e.getMessage() + ")");
    }
  }

  private static String metaValue(Connection db, String key) throws SQLException {
    try (PreparedStatement ps = db.prepareStatement("SELECT value FROM meta WHERE key = ?")) {
      ps.setString(1, key);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  /** Whether {@code excerpts} has the tempo column (schema 3 and later). */
  static boolean hasTempoColumn(Connection db) throws SQLException {
    return hasColumn(db, "excerpts", "tempo");
  }

  /** Whether the file has every column of the current schema version. */
  static boolean isCurrent(Connection db) throws SQLException {
    return hasTempoColumn(db) && hasChecksums(db) && hasTagColumns(db) && metaValue(db, VECTORS_KEY) != null;
  }

  /** Whether tracks carry the title, artist and album of their tags (schema 5 and later). */
  static boolean hasTagColumns(Connection db) throws SQLException {
    return hasColumn(db, "tracks", "album");
  }

  /** Whether tracks and excerpts carry checksums (schema 4 and later). */
  static boolean hasChecksums(Connection db) throws SQLException {
    return hasColumn(db, "tracks", "crc") && hasColumn(db, "excerpts", "crc");
  }

  private static boolean hasColumn(Connection db, String table, String column) throws SQLException {
    try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery("PRAGMA table_info(" + table + ")")) {
      while (rs.next()) {
        if (column.equals(rs.getString("name"))) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Brings an older file to {@link SqliteStore#SCHEMA_VERSION} inside the caller's transaction: version
   * 3 adds the excerpts' tempo column (NULL, i.e. unknown, for excerpts stored before); version 4 the
   * checksums of every track and excerpt row, computed here for the rows already stored; version 5 the
   * tracks' title, artist and album (NULL for tracks stored before: their files are not read here, so
   * they keep their path names until indexed again); version 6 records how the vectors are held ({@code
   * meta.vectors}): an older file keeps its float32 vectors.
   */
  static void upgrade(Connection db) throws SQLException {
    if (!hasTempoColumn(db)) {
      try (Statement st = db.createStatement()) {
        st.execute("ALTER TABLE excerpts ADD COLUMN tempo REAL");
      }
    }
    if (!hasChecksums(db)) {
      addChecksums(db);
    }
    if (!hasTagColumns(db)) {
      try (Statement st = db.createStatement()) {
        st.execute("ALTER TABLE tracks ADD COLUMN title TEXT");
        st.execute("ALTER TABLE tracks ADD COLUMN artist TEXT");
        st.execute("ALTER TABLE tracks ADD COLUMN album TEXT");
      }
    }
    try (PreparedStatement ps = db.prepareStatement("INSERT OR IGNORE INTO meta(key, value) VALUES (?, ?)")) {
      ps.setString(1, VECTORS_KEY);
      ps.setString(2, VectorEncoding.FLOAT32.id());
      ps.executeUpdate();
    }
    try (PreparedStatement ps = db.prepareStatement("UPDATE meta SET value = ? WHERE key = 'schemaVersion'")) {
      ps.setString(1, Integer.toString(SqliteStore.SCHEMA_VERSION));
      ps.executeUpdate();
    }
  }

  private static void addChecksums(Connection db) throws SQLException {
    try (Statement st = db.createStatement()) {
      if (!hasColumn(db, "tracks", "crc")) {
        st.execute("ALTER TABLE tracks ADD COLUMN crc INTEGER");
      }
      if (!hasColumn(db, "excerpts", "crc")) {
        st.execute("ALTER TABLE excerpts ADD COLUMN crc INTEGER");
      }
      try (ResultSet rs = st.executeQuery("SELECT id, path, size, mtime, hash, duration, excerpts, problem FROM tracks");
          PreparedStatement up = db.prepareStatement("UPDATE tracks SET crc = ? WHERE id = ?")) {
        while (rs.next()) {
          up.setInt(1, Checksums.track(rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getString(5), rs.getDouble(6),
              rs.getInt(7), rs.getString(8)));
          up.setLong(2, rs.getLong(1));
          up.addBatch();
        }
        up.executeBatch();
      }
      try (ResultSet rs = st.executeQuery("SELECT rowid, track_id, start, vector, tempo FROM excerpts");
          PreparedStatement up = db.prepareStatement("UPDATE excerpts SET crc = ? WHERE rowid = ?")) {
        while (rs.next()) {
          double tempo = rs.getDouble(5);
          if (rs.wasNull()) {
            tempo = Double.NaN;
          }
          up.setInt(1, Checksums.excerpt(rs.getLong(2), rs.getDouble(3), rs.getBytes(4), tempo));
          up.setLong(2, rs.getLong(1));
          up.addBatch();
        }
        up.executeBatch();
      }
    }
  }
}
