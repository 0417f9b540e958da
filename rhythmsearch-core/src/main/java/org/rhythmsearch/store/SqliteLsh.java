package org.rhythmsearch.store;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32C;
import org.rhythmsearch.index.LshIndex;

/**
 * LSH tables in the SQLite file: {@code lsh_meta} (format, parameters, seed, row count and the
 * hyperplanes' centre as Base64 little-endian floats) and {@code lsh_codes} (per excerpt, keyed like
 * {@code excerpts}, its code in every table as little-endian int32s).
 *
 * <p>Used by {@link SqliteStore} on its connection, from one thread.
 */
final class SqliteLsh {

  private final String location;
  private final Connection db;

  SqliteLsh(String location, Connection db) {
    this.location = location;
    this.db = db;
  }

  /** Replaces the stored tables with those of {@code lsh}, inside the caller's transaction. */
  void save(Snapshot snapshot, LshIndex lsh) throws SQLException {
    LshIndex.Params p = lsh.params();
    try (Statement st = db.createStatement()) {
      st.execute("CREATE TABLE IF NOT EXISTS lsh_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
      st.execute("CREATE TABLE IF NOT EXISTS lsh_codes (track_id INTEGER NOT NULL REFERENCES tracks(id) ON DELETE CASCADE, "
          + "start REAL NOT NULL, codes BLOB NOT NULL, PRIMARY KEY (track_id, start))");
      st.execute("DELETE FROM lsh_meta");
      st.execute("DELETE FROM lsh_codes");
    }
    String[][] kv = {{"format", Integer.toString(SqliteStore.LSH_FORMAT_VERSION)}, {"bits", Integer.toString(p.bits())},
          {"tables", Integer.toString(p.tables())}, {"probes", Integer.toString(p.probes())},
          {"rerank", Integer.toString(p.rerank())},
          {"seed", Long.toString(p.seed())}, {"rows", Integer.toString(snapshot.vectors().rows())},
          {"center", encodeFloats(lsh.center())}};
    try (PreparedStatement ps = db.prepareStatement("INSERT INTO lsh_meta(key, value) VALUES (?, ?)")) {
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
    CRC32C crc = new CRC32C();
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
        crc.update(b.array());
      }
      ps.executeBatch();
    }
    try (PreparedStatement ps = db.prepareStatement("INSERT INTO lsh_meta(key, value) VALUES ('crc', ?)")) {
      ps.setString(1, Long.toString(checksum(crc, kv)));
      ps.executeUpdate();
    }
  }

  /** The stored tables if they cover exactly {@code snapshot}'s rows (see {@link VectorStore#loadLsh}). */
  Optional<StoredLsh> load(Snapshot snapshot) throws StoreException {
    try {
      if (!SqliteSchema.tableExists(db, "lsh_meta")) {
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
      String format = m.get("format");
      if (!"1".equals(format) && !"2".equals(format) && !Integer.toString(SqliteStore.LSH_FORMAT_VERSION).equals(format)) {
        throw new StoreException(location + ": LSH format " + m.get("format") + " is not one this rhythmsearch reads (1 to "
            + SqliteStore.LSH_FORMAT_VERSION + "); rebuild it with index --lsh");
      }
      int dim = snapshot.vectors().dim();
      float[] center = "1".equals(m.get("format")) ? new float[dim] : decodeFloats(m.get("center"));
      if (center == null || center.length != dim) {
        throw new StoreException(location + ": corrupt LSH tables: the stored center does not have dimension " + dim
            + "; rebuild it with index --lsh");
      }
      var p = new LshIndex.Params(Integer.parseInt(m.get("bits")), Integer.parseInt(m.get("tables")),
          Integer.parseInt(m.get("probes")), Integer.parseInt(m.getOrDefault("rerank", "0")), Long.parseLong(m.get("seed")));
      if (Integer.parseInt(m.get("rows")) != snapshot.vectors().rows()) {
        return Optional.empty(); // tracks were added or removed since: stale
      }
      CRC32C crc = new CRC32C();
      int[][] codes = readCodes(snapshot, p.tables(), crc);
      if (codes == null) {
        return Optional.empty();
      }
      if (Integer.toString(SqliteStore.LSH_FORMAT_VERSION).equals(format)) {
        String[][] kv = new String[META_KEYS.length][];
        for (int i = 0; i < META_KEYS.length; i++) {
          kv[i] = new String[] {META_KEYS[i], m.get(META_KEYS[i])};
        }
        if (!Long.toString(checksum(crc, kv)).equals(m.get("crc"))) {
          throw new StoreException(location + ": damaged LSH tables: they fail their checksum; rebuild them with "
              + "index --lsh");
        }
      }
      return Optional.of(new StoredLsh(p, codes, center));
    } catch (SQLException | IllegalArgumentException e) { // NumberFormatException, impossible parameters
      throw new StoreException(location + ": corrupt LSH tables: " + e.getMessage() + "; rebuild them with index --lsh", e);
    }
  }

  /** The order of the meta values a checksum covers (after the codes). */
  private static final String[] META_KEYS = {"format", "bits", "tables", "probes", "rerank", "seed", "rows", "center"};

  /** The checksum of the codes (already in {@code crc}) and the meta values, in {@link #META_KEYS} order. */
  private static long checksum(CRC32C crc, String[][] kv) {
    Map<String, String> m = new HashMap<>();
    for (String[] e : kv) {
      m.put(e[0], e[1]);
    }
    for (String k : META_KEYS) {
      crc.update((k + '=' + m.get(k) + '\0').getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    return crc.getValue();
  }

  /** Codes in snapshot row order, or null when the stored rows are not exactly the snapshot's. */
  private int[][] readCodes(Snapshot snapshot, int tables, CRC32C crc) throws SQLException {
    Map<Long, Integer> trackIndex = new HashMap<>();
    for (int i = 0; i < snapshot.tracks().size(); i++) {
      trackIndex.put(snapshot.tracks().get(i).id(), i);
    }
    int n = snapshot.vectors().rows();
    int[][] codes = new int[tables][n];
    int row = 0;
    try (Statement st = db.createStatement();
        ResultSet rs = st.executeQuery("SELECT track_id, start, codes FROM lsh_codes ORDER BY track_id, start")) {
      while (rs.next()) {
        byte[] blob = rs.getBytes(3);
        if (row >= n || blob == null || blob.length != 4 * tables
            || snapshot.excerptTrack()[row] != trackIndex.getOrDefault(rs.getLong(1), -1)
            || snapshot.excerptStart()[row] != (float) rs.getDouble(2)) {
          return null; // stale or partial
        }
        crc.update(blob);
        ByteBuffer b = ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN);
        for (int t = 0; t < tables; t++) {
          codes[t][row] = b.getInt();
        }
        row++;
      }
    }
    return row == n ? codes : null;
  }

  /** Little-endian IEEE floats in Base64: exact, so a reloaded center hashes bit for bit as before. */
  static String encodeFloats(float[] v) {
    ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float x : v) {
      b.putFloat(x);
    }
    return Base64.getEncoder().encodeToString(b.array());
  }

  /** The inverse of {@link #encodeFloats}; null for a missing or malformed value. */
  static float[] decodeFloats(String s) {
    if (s == null) {
      return null;
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(s);
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
}
