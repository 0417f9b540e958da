package org.rhythmsearch.index;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Search loops on the JDK Vector API: one vector lane per dimension, fused multiply-add, one
 * horizontal sum per row; the tail of each row (dim not a multiple of the lane count) in scalar code.
 * Stateless; thread-safe.
 */
final class SimdKernels implements Kernels {

  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

  /** Whether {@link #dotsOfRows} interleaves 16 rows (enough vector registers for 16 accumulators). */
  private static final boolean WIDE = S.length() >= 16;

  @Override
  public void dots(float[] q, VectorMatrix m, float[] out) {
    float[] d = m.data();
    int dim = m.dim();
    for (int r = 0; r < m.rows(); r++) {
      out[r] = dot(q, d, r * dim, dim);
    }
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
   * Rows in interleaved batches: the rows are scattered in memory (re-ranking candidates), so one row
   * at a time waits on its cache misses in turn, while a batch keeps a batch's misses in flight.
   * Batches of 16 rows where vectors have 16 lanes (AVX-512: 32 registers hold the accumulators),
   * else of 8; the remainder one row at a time. Measured over 1 M random rows of dimension 215 on
   * AVX-512: 8 rows 2.5×, 16 rows about 3× faster per row than one at a time.
   */
  @Override
  public void dotsOfRows(float[] q, float[] d, int dim, int[] rows, float[] out) {
    int i = 0;
    if (WIDE) {
      for (; i + 16 <= rows.length; i += 16) {
        batch16(q, d, dim, rows, out, i);
      }
    }
    for (; i + 8 <= rows.length; i += 8) {
      batch8(q, d, dim, rows, out, i);
    }
    for (; i < rows.length; i++) {
      out[i] = dot(q, d, rows[i] * dim, dim);
    }
  }

  /** {@code out[i + b] = <q, row rows[i + b]>} for b &lt; 16: 16 rows interleaved. */
  private static void batch16(float[] q, float[] d, int dim, int[] rows, float[] out, int i) {
    int bound = S.loopBound(dim);
    int o0 = rows[i + 0] * dim;
    int o1 = rows[i + 1] * dim;
    int o2 = rows[i + 2] * dim;
    int o3 = rows[i + 3] * dim;
    int o4 = rows[i + 4] * dim;
    int o5 = rows[i + 5] * dim;
    int o6 = rows[i + 6] * dim;
    int o7 = rows[i + 7] * dim;
    int o8 = rows[i + 8] * dim;
    int o9 = rows[i + 9] * dim;
    int o10 = rows[i + 10] * dim;
    int o11 = rows[i + 11] * dim;
    int o12 = rows[i + 12] * dim;
    int o13 = rows[i + 13] * dim;
    int o14 = rows[i + 14] * dim;
    int o15 = rows[i + 15] * dim;
    FloatVector a0 = FloatVector.zero(S);
    FloatVector a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
    FloatVector a8 = a0, a9 = a0, a10 = a0, a11 = a0, a12 = a0, a13 = a0, a14 = a0;
    FloatVector a15 = a0;
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
      a8 = x.fma(FloatVector.fromArray(S, d, o8 + j), a8);
      a9 = x.fma(FloatVector.fromArray(S, d, o9 + j), a9);
      a10 = x.fma(FloatVector.fromArray(S, d, o10 + j), a10);
      a11 = x.fma(FloatVector.fromArray(S, d, o11 + j), a11);
      a12 = x.fma(FloatVector.fromArray(S, d, o12 + j), a12);
      a13 = x.fma(FloatVector.fromArray(S, d, o13 + j), a13);
      a14 = x.fma(FloatVector.fromArray(S, d, o14 + j), a14);
      a15 = x.fma(FloatVector.fromArray(S, d, o15 + j), a15);
    }
    float s0 = a0.reduceLanes(VectorOperators.ADD);
    float s1 = a1.reduceLanes(VectorOperators.ADD);
    float s2 = a2.reduceLanes(VectorOperators.ADD);
    float s3 = a3.reduceLanes(VectorOperators.ADD);
    float s4 = a4.reduceLanes(VectorOperators.ADD);
    float s5 = a5.reduceLanes(VectorOperators.ADD);
    float s6 = a6.reduceLanes(VectorOperators.ADD);
    float s7 = a7.reduceLanes(VectorOperators.ADD);
    float s8 = a8.reduceLanes(VectorOperators.ADD);
    float s9 = a9.reduceLanes(VectorOperators.ADD);
    float s10 = a10.reduceLanes(VectorOperators.ADD);
    float s11 = a11.reduceLanes(VectorOperators.ADD);
    float s12 = a12.reduceLanes(VectorOperators.ADD);
    float s13 = a13.reduceLanes(VectorOperators.ADD);
    float s14 = a14.reduceLanes(VectorOperators.ADD);
    float s15 = a15.reduceLanes(VectorOperators.ADD);
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
      s8 += x * d[o8 + j];
      s9 += x * d[o9 + j];
      s10 += x * d[o10 + j];
      s11 += x * d[o11 + j];
      s12 += x * d[o12 + j];
      s13 += x * d[o13 + j];
      s14 += x * d[o14 + j];
      s15 += x * d[o15 + j];
    }
    out[i + 0] = s0;
    out[i + 1] = s1;
    out[i + 2] = s2;
    out[i + 3] = s3;
    out[i + 4] = s4;
    out[i + 5] = s5;
    out[i + 6] = s6;
    out[i + 7] = s7;
    out[i + 8] = s8;
    out[i + 9] = s9;
    out[i + 10] = s10;
    out[i + 11] = s11;
    out[i + 12] = s12;
    out[i + 13] = s13;
    out[i + 14] = s14;
    out[i + 15] = s15;
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
  private static float dot(float[] q, float[] d, int o, int dim) {
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
  public void squaredDistances(float[] q, VectorMatrix m, float[] out) {
    float[] d = m.data();
    int dim = m.dim();
    for (int r = 0; r < m.rows(); r++) {
      out[r] = squaredDistance(q, d, r * dim, dim);
    }
  }

  @Override
  public void l1Distances(float[] q, VectorMatrix m, float[] out) {
    float[] d = m.data();
    int dim = m.dim();
    for (int r = 0; r < m.rows(); r++) {
      out[r] = l1Distance(q, d, r * dim, dim);
    }
  }

  @Override
  public void squaredDistancesOfRows(float[] q, float[] d, int dim, int[] rows, float[] out) {
    for (int i = 0; i < rows.length; i++) {
      out[i] = squaredDistance(q, d, rows[i] * dim, dim);
    }
  }

  @Override
  public void l1DistancesOfRows(float[] q, float[] d, int dim, int[] rows, float[] out) {
    for (int i = 0; i < rows.length; i++) {
      out[i] = l1Distance(q, d, rows[i] * dim, dim);
    }
  }

  private static float squaredDistance(float[] q, float[] d, int o, int dim) {
    int bound = S.loopBound(dim);
    FloatVector acc = FloatVector.zero(S);
    int j = 0;
    for (; j < bound; j += S.length()) {
      FloatVector x = FloatVector.fromArray(S, q, j).sub(FloatVector.fromArray(S, d, o + j));
      acc = x.fma(x, acc);
    }
    float sum = acc.reduceLanes(VectorOperators.ADD);
    for (; j < dim; j++) {
      float x = q[j] - d[o + j];
      sum += x * x;
    }
    return sum;
  }

  private static float l1Distance(float[] q, float[] d, int o, int dim) {
    int bound = S.loopBound(dim);
    FloatVector acc = FloatVector.zero(S);
    int j = 0;
    for (; j < bound; j += S.length()) {
      acc = acc.add(FloatVector.fromArray(S, q, j).sub(FloatVector.fromArray(S, d, o + j)).abs());
    }
    float sum = acc.reduceLanes(VectorOperators.ADD);
    for (; j < dim; j++) {
      sum += Math.abs(q[j] - d[o + j]);
    }
    return sum;
  }
}
