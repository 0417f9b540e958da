package org.rhythmsearch.index;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Search loops on the JDK Vector API: one vector lane per dimension, fused multiply-add, one
 * horizontal sum per row; the tail of each row (dim not a multiple of the lane count) in scalar code.
 * Stateless; thread-safe.
 */
final class SimdKernels implements Kernels {

  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  /** Bytes with as many lanes as {@link #S}: one byte per float lane, widened by a B2F conversion. */
  private static final VectorSpecies<Byte> B = VectorSpecies.of(byte.class, VectorShape.forBitSize(S.length() * 8));

  /** Two rows at a time, each code vector widened to floats and multiplied into one accumulator per row. */
  @Override
  public void codeDots(float[] w, byte[] codes, int from, int rows, int dim, float[] out) {
    int bound = S.loopBound(dim);
    int r = 0;
    int o = from;
    for (; r + 1 < rows; r += 2, o += 2 * dim) {
      FloatVector a0 = FloatVector.zero(S);
      FloatVector a1 = a0;
      int j = 0;
      for (; j < bound; j += S.length()) {
        FloatVector x = FloatVector.fromArray(S, w, j);
        a0 = x.fma((FloatVector) ByteVector.fromArray(B, codes, o + j).convertShape(VectorOperators.B2F, S, 0), a0);
        a1 = x.fma((FloatVector) ByteVector.fromArray(B, codes, o + dim + j).convertShape(VectorOperators.B2F, S, 0),
            a1);
      }
      float s0 = a0.reduceLanes(VectorOperators.ADD);
      float s1 = a1.reduceLanes(VectorOperators.ADD);
      for (; j < dim; j++) {
        s0 += w[j] * codes[o + j];
        s1 += w[j] * codes[o + dim + j];
      }
      out[r] = s0;
      out[r + 1] = s1;
    }
    if (r < rows) {
      FloatVector a0 = FloatVector.zero(S);
      int j = 0;
      for (; j < bound; j += S.length()) {
        a0 = FloatVector.fromArray(S, w, j).fma(
            (FloatVector) ByteVector.fromArray(B, codes, o + j).convertShape(VectorOperators.B2F, S, 0), a0);
      }
      float s0 = a0.reduceLanes(VectorOperators.ADD);
      for (; j < dim; j++) {
        s0 += w[j] * codes[o + j];
      }
      out[r] = s0;
    }
  }

  /** Code rows in interleaved batches of 4 (scattered rows: several rows' cache misses in flight). */
  @Override
  public void codeDotsOfRows(float[] q, byte[] codes, int dim, int[] rows, int from, int to, float[] out) {
    int bound = S.loopBound(dim);
    int i = from;
    for (; i + 4 <= to; i += 4) {
      int o0 = rows[i] * dim;
      int o1 = rows[i + 1] * dim;
      int o2 = rows[i + 2] * dim;
      int o3 = rows[i + 3] * dim;
      FloatVector a0 = FloatVector.zero(S);
      FloatVector a1 = a0;
      FloatVector a2 = a0;
      FloatVector a3 = a0;
      int j = 0;
      for (; j < bound; j += S.length()) {
        FloatVector x = FloatVector.fromArray(S, q, j);
        a0 = x.fma(widen(codes, o0 + j), a0);
        a1 = x.fma(widen(codes, o1 + j), a1);
        a2 = x.fma(widen(codes, o2 + j), a2);
        a3 = x.fma(widen(codes, o3 + j), a3);
      }
      float s0 = a0.reduceLanes(VectorOperators.ADD);
      float s1 = a1.reduceLanes(VectorOperators.ADD);
      float s2 = a2.reduceLanes(VectorOperators.ADD);
      float s3 = a3.reduceLanes(VectorOperators.ADD);
      for (; j < dim; j++) {
        s0 += q[j] * codes[o0 + j];
        s1 += q[j] * codes[o1 + j];
        s2 += q[j] * codes[o2 + j];
        s3 += q[j] * codes[o3 + j];
      }
      out[i - from] = s0;
      out[i - from + 1] = s1;
      out[i - from + 2] = s2;
      out[i - from + 3] = s3;
    }
    float[] one = new float[1];
    for (; i < to; i++) {
      codeDots(q, codes, rows[i] * dim, 1, dim, one);
      out[i - from] = one[0];
    }
  }

  /** Each code row widened once for both products. */
  @Override
  public void pairedCodeDots(float[] q, float[][] alternatives, int[] which, byte[] codes, int rows, int dim,
      float[] plain, float[] other) {
    int bound = S.loopBound(dim);
    float[] one = new float[1];
    for (int r = 0, o = 0; r < rows; r++, o += dim) {
      int w = which[r];
      if (w < 0) {
        codeDots(q, codes, o, 1, dim, one);
        plain[r] = one[0];
        continue;
      }
      float[] a = alternatives[w];
      FloatVector acc = FloatVector.zero(S);
      FloatVector accA = acc;
      int j = 0;
      for (; j < bound; j += S.length()) {
        FloatVector x = widen(codes, o + j);
        acc = FloatVector.fromArray(S, q, j).fma(x, acc);
        accA = FloatVector.fromArray(S, a, j).fma(x, accA);
      }
      float sum = acc.reduceLanes(VectorOperators.ADD);
      float sumA = accA.reduceLanes(VectorOperators.ADD);
      for (; j < dim; j++) {
        sum += q[j] * codes[o + j];
        sumA += a[j] * codes[o + j];
      }
      plain[r] = sum;
      other[r] = sumA;
    }
  }

  @Override
  public float sum(float[] q) {
    int bound = S.loopBound(q.length);
    FloatVector acc = FloatVector.zero(S);
    int j = 0;
    for (; j < bound; j += S.length()) {
      acc = acc.add(FloatVector.fromArray(S, q, j));
    }
    float s = acc.reduceLanes(VectorOperators.ADD);
    for (; j < q.length; j++) {
      s += q[j];
    }
    return s;
  }

  /** {@link #S}'s lane count of codes from {@code codes[o]}, as floats. */
  private static FloatVector widen(byte[] codes, int o) {
    return (FloatVector) ByteVector.fromArray(B, codes, o).convertShape(VectorOperators.B2F, S, 0);
  }

  @Override
  public void pairedDots(float[] q, float[][] alternatives, int[] which, VectorMatrix m, float[] plain, float[] other) {
    float[] d = m.data();
    int dim = m.dim();
    int bound = S.loopBound(dim);
    for (int r = 0, o = 0; r < m.rows(); r++, o += dim) {
      int w = which[r];
      if (w < 0) {
        plain[r] = dot(q, d, o, dim);
        continue;
      }
      float[] a = alternatives[w];
      FloatVector acc = FloatVector.zero(S);
      FloatVector accA = FloatVector.zero(S);
      int j = 0;
      for (; j < bound; j += S.length()) {
        FloatVector x = FloatVector.fromArray(S, d, o + j);
        acc = FloatVector.fromArray(S, q, j).fma(x, acc);
        accA = FloatVector.fromArray(S, a, j).fma(x, accA);
      }
      float sum = acc.reduceLanes(VectorOperators.ADD);
      float sumA = accA.reduceLanes(VectorOperators.ADD);
      for (; j < dim; j++) {
        sum += q[j] * d[o + j];
        sumA += a[j] * d[o + j];
      }
      plain[r] = sum;
      other[r] = sumA;
    }
  }

  /**
   * Rows in interleaved batches of 8: the rows are scattered in memory (re-ranking candidates), so one
   * row at a time waits on its cache misses in turn, while a batch keeps 8 rows' misses in flight; the
   * remainder one row at a time. Batches of 16 rows did not pay at the default dimension (1080): JMH
   * {@code gatheredRerank} (1 000 of 20 000 rows, {@code rhythmsearch bench kernels --quick}) measured
   * 72 µs with 8 rows against 76 µs with 16 on AVX-512, and 65 µs against 79–87 µs with 256-bit vectors.
   */
  @Override
  public void dotsOfRows(float[] q, float[] d, int dim, int[] rows, float[] out) {
    int i = 0;
    for (; i + 8 <= rows.length; i += 8) {
      batch8(q, d, dim, rows, out, i);
    }
    for (; i < rows.length; i++) {
      out[i] = dot(q, d, rows[i] * dim, dim);
    }
  }

  /** {@code out[i + b] = <q, row rows[i + b]>} for b &lt; 8: 8 rows interleaved. */
  private static void batch8(float[] q, float[] d, int dim, int[] rows, float[] out, int i) {
    int bound = S.loopBound(dim);
    int o0 = rows[i + 0] * dim;
    int o1 = rows[i + 1] * dim;
    int o2 = rows[i + 2] * dim;
    int o3 = rows[i + 3] * dim;
    int o4 = rows[i + 4] * dim;
    int o5 = rows[i + 5] * dim;
    int o6 = rows[i + 6] * dim;
    int o7 = rows[i + 7] * dim;
    FloatVector a0 = FloatVector.zero(S);
    FloatVector a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
    int j = 0;
    for (; j < bound; j += S.length()) {
      FloatVector x = FloatVector.fromArray(S, q, j);
      a0 = x.fma(FloatVector.fromArray(S, d, o0 + j), a0);
      a1 = x.fma(FloatVector.fromArray(S, d, o1 + j), a1);
      a2 = x.fma(FloatVector.fromArray(S, d, o2 + j), a2);
      a3 = x.fma(FloatVector.fromArray(S, d, o3 + j), a3);
      a4 = x.fma(FloatVector.fromArray(S, d, o4 + j), a4);
      a5 = x.fma(FloatVector.fromArray(S, d, o5 + j), a5);
      a6 = x.fma(FloatVector.fromArray(S, d, o6 + j), a6);
      a7 = x.fma(FloatVector.fromArray(S, d, o7 + j), a7);
    }
    float s0 = a0.reduceLanes(VectorOperators.ADD);
    float s1 = a1.reduceLanes(VectorOperators.ADD);
    float s2 = a2.reduceLanes(VectorOperators.ADD);
    float s3 = a3.reduceLanes(VectorOperators.ADD);
    float s4 = a4.reduceLanes(VectorOperators.ADD);
    float s5 = a5.reduceLanes(VectorOperators.ADD);
    float s6 = a6.reduceLanes(VectorOperators.ADD);
    float s7 = a7.reduceLanes(VectorOperators.ADD);
    for (; j < dim; j++) {
      float x = q[j];
      s0 += x * d[o0 + j];
      s1 += x * d[o1 + j];
      s2 += x * d[o2 + j];
      s3 += x * d[o3 + j];
      s4 += x * d[o4 + j];
      s5 += x * d[o5 + j];
      s6 += x * d[o6 + j];
      s7 += x * d[o7 + j];
    }
    out[i + 0] = s0;
    out[i + 1] = s1;
    out[i + 2] = s2;
    out[i + 3] = s3;
    out[i + 4] = s4;
    out[i + 5] = s5;
    out[i + 6] = s6;
    out[i + 7] = s7;
  }

  /** {@code <q, d[o .. o + dim)>}: fused multiply-add over whole vectors, the tail in scalar code. */
  @Override
  public float dot(float[] q, float[] d, int o, int dim) {
    int bound = S.loopBound(dim);
    FloatVector acc = FloatVector.zero(S);
    int j = 0;
    for (; j < bound; j += S.length()) {
      acc = FloatVector.fromArray(S, q, j).fma(FloatVector.fromArray(S, d, o + j), acc);
    }
    float sum = acc.reduceLanes(VectorOperators.ADD);
    for (; j < dim; j++) {
      sum += q[j] * d[o + j];
    }
    return sum;
  }

  @Override
  public float distance(float[] q, float[] d, int o, int dim, boolean squared) {
    int bound = S.loopBound(dim);
    FloatVector acc = FloatVector.zero(S);
    int j = 0;
    for (; j < bound; j += S.length()) {
      FloatVector x = FloatVector.fromArray(S, q, j).sub(FloatVector.fromArray(S, d, o + j));
      acc = squared ? x.fma(x, acc) : acc.add(x.abs());
    }
    float sum = acc.reduceLanes(VectorOperators.ADD);
    for (; j < dim; j++) {
      float x = q[j] - d[o + j];
      sum += squared ? x * x : Math.abs(x);
    }
    return sum;
  }
}
