package org.rhythmsearch.spark;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.rhythmsearch.index.VectorEncoding;

/**
 * How an output's excerpts keep their vectors in Parquet: column {@code code} (binary, one row as {@link
 * VectorEncoding#INT8} stores it: a quarter of the bytes; what {@link ExtractJob} writes now) or column
 * {@code vector} (an array of float32, as outputs written before it). Every job reads both.
 */
final class ParquetVectors {

  /** The int8 column. */
  static final String CODE = "code";
  /** The float32 column of earlier outputs. */
  static final String VECTOR = "vector";

  private ParquetVectors() {}

  /** The column {@code excerpts} hold their vectors in. */
  static String column(Dataset<Row> excerpts) {
    return List.of(excerpts.columns()).contains(CODE) ? CODE : VECTOR;
  }

  /** The column row {@code r} holds its vector in. */
  static String column(Row r) {
    return List.of(r.schema().fieldNames()).contains(CODE) ? CODE : VECTOR;
  }

  /** How the vectors of column {@code column} are held. */
  static VectorEncoding encoding(String column) {
    return CODE.equals(column) ? VectorEncoding.INT8 : VectorEncoding.FLOAT32;
  }

  /** The values of the vector in field {@code i} of {@code r} (either column). */
  static float[] of(Row r, int i) {
    Object o = r.get(i);
    if (o instanceof byte[] b) {
      return VectorEncoding.INT8.decode(b, b.length - 8);
    }
    List<Float> list = r.getList(i);
    float[] v = new float[list.size()];
    for (int j = 0; j < v.length; j++) {
      v[j] = list.get(j);
    }
    return v;
  }

  /** {@code v} as column {@code column} holds it. */
  static Object value(float[] v, String column) {
    return CODE.equals(column) ? VectorEncoding.INT8.encode(v) : ExtractJob.Extract.seq(ExtractJob.Extract.boxed(v));
  }
}
