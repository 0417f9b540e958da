package org.rhythmsearch.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rhythmsearch.index.VectorEncoding;

/**
 * {@code check} of an SQLite index, read in one transaction: SQLite's own integrity check, every track
 * row's and excerpt row's checksum, vectors of the index's dimension holding finite numbers only, each
 * track's excerpt count, rows of no track, and then the approximate index against the vectors.
 *
 * <p>Stateless; runs on the store's thread.
 */
final class SqliteCheck {

  private SqliteCheck() {}

  static VectorStore.CheckReport read(SqliteStore store, Connection db) throws SQLException {
    List<String> problems = new ArrayList<>();
    try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery("PRAGMA integrity_check(20)")) {
      while (rs.next()) {
        if (!"ok".equals(rs.getString(1))) {
          problems.add("SQLite integrity check: " + rs.getString(1));
        }
      }
    }
    Map<Long, TrackRecord> tracks = new LinkedHashMap<>();
    Map<Long, TrackRecord> damaged = new LinkedHashMap<>();
    try (Statement st = db.createStatement();
        ResultSet rs = st.executeQuery("SELECT " + store.trackColumns() + " FROM tracks ORDER BY id")) {
      while (rs.next()) {
        TrackRecord raw = SqliteStore.rawRecord(rs);
        TrackRecord t = raw.path() == null ? raw : store.shown(raw);
        tracks.put(t.id(), t);
        String damage = store.trackDamage(raw, rs);
        if (damage != null) {
          problems.add(damage);
          damaged.put(t.id(), t);
        }
      }
    }
    Map<Long, Integer> counts = new HashMap<>();
    long rows = 0;
    long orphans = 0;
    int dim = store.config().dimension();
    boolean checksummed = store.checksummed();
    boolean tempo = SqliteSchema.hasTempoColumn(db);
    try (Statement st = db.createStatement();
        ResultSet rs = st.executeQuery("SELECT track_id, start, vector, " + (tempo ? "tempo" : "NULL") + ", "
            + (checksummed ? "crc" : "NULL") + " FROM excerpts")) {
      while (rs.next()) {
        rows++;
        long id = rs.getLong(1);
        double start = rs.getDouble(2);
        byte[] blob = rs.getBytes(3);
        double bpm = rs.getDouble(4);
        if (rs.wasNull()) {
          bpm = Double.NaN;
        }
        TrackRecord t = tracks.get(id);
        if (t == null) {
          orphans++;
          continue;
        }
        counts.merge(id, 1, Integer::sum);
        String what = null;
        if (checksummed) {
          int crc = rs.getInt(5);
          if (rs.wasNull() || crc != Checksums.excerpt(id, start, blob, bpm)) {
            what = "fails its checksum";
          }
        }
        VectorEncoding encoding = store.encoding();
        if (what == null && (blob == null || blob.length != encoding.bytes(dim))) {
          what = "has " + (blob == null ? "no" : blob.length + " bytes of") + " vector; expected " + encoding.bytes(dim);
        }
        if (what == null) {
          try {
            encoding.decode(blob, dim);
          } catch (IllegalArgumentException e) {
            what = e.getMessage();
          }
        }
        if (what != null) {
          problems.add("damaged index: the excerpt of " + t.path() + " at " + start + " s " + what);
          damaged.putIfAbsent(id, t);
        }
      }
    }
    if (orphans > 0) {
      problems.add(orphans + " excerpt row(s) belong to no track");
    }
    for (TrackRecord t : tracks.values()) {
      int n = counts.getOrDefault(t.id(), 0);
      if (n != t.excerpts() && !damaged.containsKey(t.id())) {
        problems.add("damaged index: track " + t.path() + " has " + n + " excerpt(s); its record counts " + t.excerpts());
        damaged.put(t.id(), t);
      }
    }
    boolean lshDamaged = false;
    boolean ivfDamaged = false;
    if (damaged.isEmpty() && orphans == 0) {
      Snapshot snap = null;
      try {
        snap = store.readSnapshot();
        store.lshIndex(snap);
      } catch (StoreException e) {
        problems.add("LSH tables: " + e.getMessage());
        lshDamaged = true;
      }
      try {
        if (snap != null) {
          store.ivfIndex(snap);
        }
      } catch (StoreException e) {
        problems.add("IVF index: " + e.getMessage());
        ivfDamaged = true;
      }
    }
    return new VectorStore.CheckReport(tracks.size(), rows, checksummed, problems, new ArrayList<>(damaged.values()), lshDamaged,
        ivfDamaged);
  }
}
