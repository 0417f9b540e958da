package org.rhythmsearch.index;

import org.rhythmsearch.features.Vectors;

/**
 * Inner loops of exact search: one query against every row of a {@link VectorMatrix}. A Vector API
 * implementation is used when the {@code jdk.incubator.vector} module is present (and
 * {@code rhythmsearch.simd} is not {@code false}), otherwise scalar loops with four accumulators.
 *
 * <p>Implementations are stateless and thread-safe.
 */
interface Kernels {

  /** {@code <q, d[o .. o + dim)>}. */
  float dot(float[] q, float[] d, int o, int dim);

  /** {@code |q − d[o .. o + dim)|²} when {@code squared}, else {@code |q − d[o .. o + dim)|₁}. */
  float distance(float[] q, float[] d, int o, int dim, boolean squared);

  /** {@code out[r] = <q, row r>} for every row. */
  default void dots(float[] q, VectorMatrix m, float[] out) {
    float[] d = m.data();
    int dim = m.dim();
    for (int r = 0; r < m.rows(); r++) {
      out[r] = dot(q, d, r * dim, dim);
    }
  }

  /** {@code out[i] = <q, row rows[i]>} for the given rows of a row-major array of dimension {@code dim}. */
  default void dotsOfRows(float[] q, float[] data, int dim, int[] rows, float[] out) {
    for (int i = 0; i < rows.length; i++) {
      out[i] = dot(q, data, rows[i] * dim, dim);
    }
  }

  /**
   * In one pass over the rows: {@code plain[r] = <q, row r>} for every row, and, where
   * {@code which[r] >= 0}, {@code other[r] = <alternatives[which[r]], row r>} (each row read once for
   * both products).
   */
  void pairedDots(float[] q, float[][] alternatives, int[] which, VectorMatrix m, float[] plain, float[] other);

  /**
   * {@code out[i] = |q − row rows[i]|²} ({@code squared}) or {@code |q − row rows[i]|₁} for the given rows of
   * a row-major array of dimension {@code dim}; {@code rows} null means every row, in order.
   */
  default void distances(float[] q, float[] data, int dim, int[] rows, float[] out, boolean squared) {
    int n = rows == null ? data.length / dim : rows.length;
    for (int i = 0; i < n; i++) {
      out[i] = distance(q, data, (rows == null ? i : rows[i]) * dim, dim, squared);
    }
  }

  /**
   * {@code out[r] = Σ_j w[j] · codes[from + r·dim + j]} for {@code rows} consecutive rows of signed
   * 8-bit codes: the first pass of a scalar-quantised scan ({@link ScalarQuantizer}).
   */
  default void codeDots(float[] w, byte[] codes, int from, int rows, int dim, float[] out) {
    for (int r = 0, o = from; r < rows; r++, o += dim) {
      float s0 = 0;
      float s1 = 0;
      int j = 0;
      for (; j + 1 < dim; j += 2) {
        s0 += w[j] * codes[o + j];
        s1 += w[j + 1] * codes[o + j + 1];
      }
      if (j < dim) {
        s0 += w[j] * codes[o + j];
      }
      out[r] = s0 + s1;
    }
  }

  /**
   * {@code out[i − from] = Σ_j q[j] · codes[rows[i]·dim + j]} for {@code from <= i < to}: {@link #codeDots}
   * of scattered rows.
   */
  default void codeDotsOfRows(float[] q, byte[] codes, int dim, int[] rows, int from, int to, float[] out) {
    float[] one = new float[1];
    for (int i = from; i < to; i++) {
      codeDots(q, codes, rows[i] * dim, 1, dim, one);
      out[i - from] = one[0];
    }
  }

  /**
   * {@link #pairedDots} of code rows: {@code plain[r] = Σ_j q[j]·code[r][j]} for every one of {@code rows}
   * rows, and {@code other[r]} the same with {@code alternatives[which[r]]} where {@code which[r] >= 0}.
   */
  default void pairedCodeDots(float[] q, float[][] alternatives, int[] which, byte[] codes, int rows, int dim,
      float[] plain, float[] other) {
    float[] one = new float[1];
    for (int r = 0; r < rows; r++) {
      codeDots(q, codes, r * dim, 1, dim, one);
      plain[r] = one[0];
      if (which[r] >= 0) {
        codeDots(alternatives[which[r]], codes, r * dim, 1, dim, one);
        other[r] = one[0];
      }
    }
  }

  /** {@code Σ_j q[j]}: what a compact row's mid multiplies ({@link VectorMatrix}). */
  default float sum(float[] q) {
    float a0 = 0;
    float a1 = 0;
    float a2 = 0;
    float a3 = 0;
    int j = 0;
    for (; j + 3 < q.length; j += 4) {
      a0 += q[j];
      a1 += q[j + 1];
      a2 += q[j + 2];
      a3 += q[j + 3];
    }
    for (; j < q.length; j++) {
      a0 += q[j];
    }
    return (a0 + a1) + (a2 + a3);
  }

  /** The fastest implementation available in this JVM. */
  static Kernels best() {
    return Holder.BEST;
  }

  /** The scalar implementation (reference for tests, fallback without the Vector API). */
  static Kernels scalar() {
    return ScalarKernels.INSTANCE;
  }

  /** Lazily chosen implementation. */
  final class Holder {
    static final Kernels BEST = choose();

    private Holder() {}

    private static Kernels choose() {
      if (!Boolean.parseBoolean(System.getProperty("rhythmsearch.simd", "true"))
          || !Vectors.vectorApiPresent()) {
        return ScalarKernels.INSTANCE;
      }
      try {
        return new SimdKernels();
      } catch (LinkageError | RuntimeException e) {
        return ScalarKernels.INSTANCE;
      }
    }
  }
}
