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

  @Override
  public void dots(float[] q, VectorMatrix m, float[] out) {
    float[] d = m.data();
    int dim = m.dim();
    for (int r = 0; r < m.rows(); r++) {
      out[r] = dot(q, d, r * dim, dim);
    }
  }

  @Override
  public void dotsOfRows(float[] q, float[] d, int dim, int[] rows, float[] out) {
    for (int i = 0; i < rows.length; i++) {
      out[i] = dot(q, d, rows[i] * dim, dim);
    }
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
    int bound = S.loopBound(dim);
    for (int r = 0, o = 0; r < m.rows(); r++, o += dim) {
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
      out[r] = sum;
    }
  }

  @Override
  public void l1Distances(float[] q, VectorMatrix m, float[] out) {
    float[] d = m.data();
    int dim = m.dim();
    int bound = S.loopBound(dim);
    for (int r = 0, o = 0; r < m.rows(); r++, o += dim) {
      FloatVector acc = FloatVector.zero(S);
      int j = 0;
      for (; j < bound; j += S.length()) {
        acc = acc.add(FloatVector.fromArray(S, q, j).sub(FloatVector.fromArray(S, d, o + j)).abs());
      }
      float sum = acc.reduceLanes(VectorOperators.ADD);
      for (; j < dim; j++) {
        sum += Math.abs(q[j] - d[o + j]);
      }
      out[r] = sum;
    }
  }
}
