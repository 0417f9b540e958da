package org.rhythmsearch.eval;

import java.util.ArrayList;
import java.util.List;
import org.rhythmsearch.index.VectorEncoding;
import org.rhythmsearch.index.VectorMatrix;

/** The grid excerpts of one song (a silent one is null) and their tempi (BPM, NaN when unknown). */
record Song(String name, List<float[]> vectors, List<Double> tempi, double audioSeconds) {

  /** A song whose excerpts' tempi are unknown. */
  Song(String name, List<float[]> vectors, double audioSeconds) {
    this(name, vectors, java.util.Collections.nCopies(vectors.size(), Double.NaN), audioSeconds);
  }

  /** This song with its vectors as an index of {@code encoding} holds them ({@link VectorEncoding#held}). */
  Song held(VectorEncoding encoding) {
    if (encoding == VectorEncoding.FLOAT32) {
      return this;
    }
    List<float[]> out = new ArrayList<>(vectors.size());
    for (float[] v : vectors) {
      out.add(v == null ? null : encoding.held(v));
    }
    return new Song(name, out, tempi, audioSeconds);
  }

  /** {@code values} as floats (tempi of rows, BPM). */
  static float[] floats(List<Double> values) {
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i).floatValue();
    }
    return out;
  }

  /** {@code rows} (excerpts of songs, each of dimension {@code dim}) as one float32 matrix. */
  static VectorMatrix matrix(List<float[]> rows, int dim) {
    float[] data = new float[rows.size() * dim];
    for (int i = 0; i < rows.size(); i++) {
      System.arraycopy(rows.get(i), 0, data, i * dim, dim);
    }
    return new VectorMatrix(data, dim);
  }
}
