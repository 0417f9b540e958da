package org.rhythmsearch.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rhythmsearch.features.FeatureConfig;
import org.rhythmsearch.index.VectorEncoding;
import org.rhythmsearch.index.VectorMatrix;

/**
 * {@code check} of a Redis index from one consistent read of it: every record and every track's vectors
 * decoded (each closed by its checksum), each track in the path table, no vectors without a record, and
 * then the approximate indexes against the vectors.
 *
 * <p>Stateless.
 */
final class RedisCheck {

  private RedisCheck() {}

  /** The check of the index {@code store} holds, from {@code raw}: everything read at one moment. */
  static VectorStore.CheckReport read(RedisStore store, RedisStore.Raw raw) throws StoreException {
    FeatureConfig config = store.config();
    List<String> problems = new ArrayList<>();
    List<TrackRecord> damagedTracks = new ArrayList<>();
    Map<Long, byte[]> blobs = new HashMap<>();
    for (Map.Entry<byte[], byte[]> e : raw.vectors().entrySet()) {
      try {
        blobs.put(store.id(e.getKey()), e.getValue());
      } catch (StoreException x) {
        problems.add(x.getMessage());
      }
    }
    long excerpts = 0;
    int count = 0;
    Set<String> idsWithPaths = new HashSet<>(raw.paths());
    for (Map.Entry<byte[], byte[]> e : raw.records().entrySet()) {
      count++;
      long id;
      try {
        id = store.id(e.getKey());
      } catch (StoreException x) {
        problems.add(x.getMessage());
        continue;
      }
      TrackRecord rec;
      try {
        rec = store.decodeRecord(id, e.getValue());
      } catch (StoreException x) {
        problems.add(x.getMessage());
        damagedTracks.add(new TrackRecord(id, "(track " + id + ")", 0, 0, "", 0, 0, "damaged record"));
        blobs.remove(id);
        continue;
      }
      byte[] blob = blobs.remove(id);
      try {
        if (rec.excerpts() > 0 || blob != null) {
          if (blob == null) {
            throw store.damaged("the vectors of " + rec.path() + " are missing");
          }
          if (rec.excerpts() == 0) {
            throw store.damaged("track " + rec.path() + " has vectors but its record counts none");
          }
          RedisCodec.Vectors v = store.decodeVectors(rec, blob);
          VectorMatrix.Builder one = VectorMatrix.builder(VectorEncoding.FLOAT32, 1, store.config().dimension());
          for (int i = 0; i < v.count(); i++) {
            store.decodeRow(rec, v, i, one, 0);
          }
          excerpts += v.count();
        }
        if (!idsWithPaths.contains(Long.toString(id))) {
          throw store.damaged("track " + rec.path() + " is missing from the path table");
        }
      } catch (StoreException x) {
        problems.add(x.getMessage());
        damagedTracks.add(rec);
      }
    }
    for (Long orphan : blobs.keySet()) {
      problems.add(store.location() + ": vectors stored for track id " + orphan + ", which has no record");
    }
    boolean lshDamaged = false;
    boolean ivfDamaged = false;
    Snapshot whole = problems.isEmpty() ? store.snapshot() : null;
    try {
      if (whole != null) {
        store.ivfIndex(whole);
      }
    } catch (StoreException x) {
      problems.add(x.getMessage());
      ivfDamaged = true;
    }
    try {
      if (whole != null) {
        store.lshIndex(whole);
      } else {
        store.loadLsh(new Snapshot(config, List.of(), new VectorMatrix(new float[0], config.dimension()), new int[0],
            new float[0]));
      }
    } catch (StoreException x) {
      problems.add(x.getMessage());
      lshDamaged = true;
    }
    return new VectorStore.CheckReport(count, excerpts, true, problems, damagedTracks, lshDamaged, ivfDamaged);
  }
}
