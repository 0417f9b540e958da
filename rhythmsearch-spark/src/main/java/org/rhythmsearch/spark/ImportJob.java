package org.rhythmsearch.spark;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.rhythmsearch.features.ExcerptVector;
import org.rhythmsearch.features.FeatureConfig;
import org.rhythmsearch.features.FeatureConfigs;
import org.rhythmsearch.store.StoreException;
import org.rhythmsearch.store.Stores;
import org.rhythmsearch.store.TrackRecord;
import org.rhythmsearch.store.VectorStore;

/**
 * Loads the Parquet of {@link ExtractJob} into an index (an SQLite file or a Redis address) without
 * decoding any audio again: the same feature check as {@code index} (an index of another feature is
 * refused), tracks written whole in batches, and a track already stored with the same path and content
 * hash left as it is. Rows stream to the driver in path order, one track at a time.
 *
 * <p>Stateless.
 */
public final class ImportJob {

  /** What one import did. */
  public record Summary(int added, int updated, int unchanged, long excerpts) {}

  private static final int BATCH = 64;

  private ImportJob() {}

  /**
   * Imports {@code in}/excerpts into the index at {@code location} (created when missing).
   *
   * @throws StoreException when the index holds another feature, or the Parquet holds several
   */
  public static Summary run(SparkSession spark, String in, String location) throws StoreException {
    Dataset<Row> rows = spark.read().parquet(in + "/excerpts");
    List<Row> features = rows.select("feature").distinct().collectAsList();
    if (features.size() > 1) {
      throw new StoreException(in + ": holds vectors of several features (" + features + "); import one at a time");
    }
    if (features.isEmpty()) {
      return new Summary(0, 0, 0, 0);
    }
    String id = features.get(0).getString(0);
    FeatureConfig config = FeatureConfigs.byName(id.substring(0, id.indexOf('@')));
    if (!config.id().equals(id)) {
      throw new StoreException(in + ": vectors of feature " + id + ", which this rhythmsearch does not know");
    }
    int added = 0;
    int updated = 0;
    int unchanged = 0;
    long excerpts = 0;
    try (VectorStore store = Stores.open(location, config)) {
      Iterator<Row> it = rows.orderBy("path", "start").toLocalIterator();
      List<VectorStore.Entry> batch = new ArrayList<>();
      Row first = it.hasNext() ? it.next() : null;
      while (first != null) {
        String path = first.getAs("path");
        List<ExcerptVector> v = new ArrayList<>();
        Row r = first;
        first = null;
        while (true) {
          v.add(excerpt(r));
          if (!it.hasNext()) {
            break;
          }
          Row next = it.next();
          if (!path.equals(next.getAs("path"))) {
            first = next;
            break;
          }
          r = next;
        }
        String hash = r.getAs("hash");
        Optional<TrackRecord> old = store.track(path);
        if (old.isPresent() && old.get().hash().equals(hash) && old.get().excerpts() == v.size()) {
          unchanged++;
          continue;
        }
        if (old.isPresent()) {
          updated++;
        } else {
          added++;
        }
        excerpts += v.size();
        batch.add(new VectorStore.Entry(new TrackRecord(0, path, r.<Long>getAs("size"), r.<Long>getAs("mtimeMillis"),
            hash, r.<Double>getAs("durationSeconds"), v.size(), null), v));
        if (batch.size() == BATCH) {
          store.write(batch);
          batch.clear();
        }
      }
      if (!batch.isEmpty()) {
        store.write(batch);
      }
    }
    return new Summary(added, updated, unchanged, excerpts);
  }

  private static ExcerptVector excerpt(Row r) {
    float[] v = ParquetVectors.of(r, r.fieldIndex(ParquetVectors.column(r)));
    Double tempo = r.getAs("tempo");
    return new ExcerptVector(r.<Double>getAs("start"), v, tempo == null ? Double.NaN : tempo);
  }
}
