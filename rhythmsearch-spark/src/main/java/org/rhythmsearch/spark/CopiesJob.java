package org.rhythmsearch.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.rhythmsearch.features.Vectors;

/**
 * A larger catalogue made from a smaller one, for measuring how the similarity job grows (issue 15,
 * point 5): {@link ExtractJob}'s Parquet with {@code copies} synthetic copies of every track added.
 *
 * <p>Copy {@code c} of a track is the track {@code PATH#copyC} with the original's excerpts, each
 * moved by within-track noise: {@code spread · Σ g_m (a_m − b_m) / √(2M)} over {@code M = 8} random
 * pairs {@code (a_m, b_m)} of the original's own excerpts with standard Gaussian weights {@code g_m},
 * then scaled back to the original's length. At spread 1 a copy's excerpt differs from the original's
 * about as much as two excerpts of the track differ, in the directions that track varies in: another
 * take of the same music, not a duplicate. A track with one excerpt is copied unchanged. Seeded: the
 * same input, copies, spread and seed give the same rows.
 */
public final class CopiesJob {

  /** What one run wrote. */
  public record Summary(long tracks, long excerpts) {}

  private CopiesJob() {}

  /** Writes {@code in}/excerpts and its copies to {@code out}/excerpts. */
  public static Summary run(SparkSession spark, String in, String out, int copies, double spread, long seed) {
    if (copies < 0) {
      throw new IllegalArgumentException("copies must be >= 0; copies=" + copies);
    }
    if (!(spread >= 0) || Double.isInfinite(spread)) {
      throw new IllegalArgumentException("spread must be a finite number >= 0; spread=" + spread);
    }
    Dataset<Row> rows = spark.read().parquet(in + "/excerpts");
    String[] names = rows.columns();
    int path = List.of(names).indexOf("path");
    int hash = List.of(names).indexOf("hash");
    String column = ParquetVectors.column(rows);
    int vector = List.of(names).indexOf(column);
    int start = List.of(names).indexOf("start");
    JavaRDD<Row> grown = rows.javaRDD().groupBy(r -> r.getString(path)).flatMap(track -> {
      List<Row> original = new ArrayList<>();
      track._2().forEach(original::add);
      original.sort(java.util.Comparator.comparingDouble(r -> r.getDouble(start)));
      List<float[]> vs = new ArrayList<>();
      for (Row r : original) {
        vs.add(ParquetVectors.of(r, vector));
      }
      List<Row> result = new ArrayList<>(original);
      for (int c = 1; c <= copies; c++) {
        SplittableRandom rnd = new SplittableRandom(seed ^ (31L * track._1().hashCode() + c));
        for (int e = 0; e < original.size(); e++) {
          float[] moved = perturbed(vs, e, spread, rnd);
          Object[] values = new Object[names.length];
          for (int i = 0; i < values.length; i++) {
            values[i] = original.get(e).get(i);
          }
          values[path] = track._1() + "#copy" + c;
          values[hash] = original.get(e).getString(hash) + "#copy" + c;
          values[vector] = ParquetVectors.value(moved, column);
          result.add(RowFactory.create(values));
        }
      }
      return result.iterator();
    });
    Dataset<Row> written = spark.createDataFrame(grown, rows.schema()).cache();
    written.write().mode(SaveMode.Overwrite).parquet(out + "/excerpts");
    Summary s = new Summary(written.select("path").distinct().count(), written.count());
    written.unpersist();
    return s;
  }

  /** Excerpt {@code e} of {@code track} plus within-track noise, at the original's length. */
  static float[] perturbed(List<float[]> track, int e, double spread, SplittableRandom rnd) {
    float[] x = track.get(e).clone();
    if (track.size() < 2) {
      return x;
    }
    final int m = 8;
    double scale = spread / Math.sqrt(2.0 * m);
    for (int k = 0; k < m; k++) {
      int a = rnd.nextInt(track.size());
      int b = rnd.nextInt(track.size() - 1);
      b += b >= a ? 1 : 0;
      double g = scale * rnd.nextGaussian();
      for (int i = 0; i < x.length; i++) {
        x[i] += (float) (g * (track.get(a)[i] - track.get(b)[i]));
      }
    }
    double before = Vectors.norm(track.get(e));
    double after = Vectors.norm(x);
    for (int i = 0; i < x.length && after > 0; i++) {
      x[i] = (float) (x[i] * before / after);
    }
    return x;
  }
}
