package org.rhythmsearch.index;

/** Scalar search loops with four independent accumulators. Stateless; thread-safe. */
final class ScalarKernels implements Kernels {

  static final ScalarKernels INSTANCE = new ScalarKernels();

  private ScalarKernels() {}

  @Override
  public void pairedDots(float[] q, float[][] alternatives, int[] which, VectorMatrix m, float[] plain, float[] other) {
    float[] d = m.data();
    int dim = m.dim();
    for (int r = 0; r < m.rows(); r++) {
      plain[r] = dot(q, d, r * dim, dim);
      if (which[r] >= 0) {
        other[r] = dot(alternatives[which[r]], d, r * dim, dim);
      }
    }
  }

  /** {@code <q, d[o .. o + dim)>} with four accumulators. */
  @Override
  public float dot(float[] q, float[] d, int o, int dim) {
    float a0 = 0f;
    float a1 = 0f;
    float a2 = 0f;
    float a3 = 0f;
    int j = 0;
    for (; j + 3 < dim; j += 4) {
      a0 += q[j] * d[o + j];
      a1 += q[j + 1] * d[o + j + 1];
      a2 += q[j + 2] * d[o + j + 2];
      a3 += q[j + 3] * d[o + j + 3];
    }
    for (; j < dim; j++) {
      a0 += q[j] * d[o + j];
    }
    return (a0 + a1) + (a2 + a3);
  }

  /** {@code |q − d[o .. o + dim)|²} or {@code |q − d[o .. o + dim)|₁}, with two accumulators. */
  @Override
  public float distance(float[] q, float[] d, int o, int dim, boolean squared) {
    float a0 = 0f;
    float a1 = 0f;
    int j = 0;
    for (; j + 1 < dim; j += 2) {
      float x0 = q[j] - d[o + j];
      float x1 = q[j + 1] - d[o + j + 1];
      a0 += squared ? x0 * x0 : Math.abs(x0);
      a1 += squared ? x1 * x1 : Math.abs(x1);
    }
    for (; j < dim; j++) {
      float x = q[j] - d[o + j];
      a0 += squared ? x * x : Math.abs(x);
    }
    return a0 + a1;
  }
}
