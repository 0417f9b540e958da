package org.rhythmsearch.index;

import java.util.Arrays;
import org.rhythmsearch.features.Vectors;

/**
 * Vectors of one dimension stored contiguously, row-major ({@code data[row * dim + j]}), with their
 * Euclidean norms. Built once, then read-only.
 *
 * <p>Immutable after construction (the constructor takes ownership of {@code data}); thread-safe.
 */
public final class VectorMatrix {

  private final float[] data;
  private final int rows;
  private final int dim;
  private final float[] norms;

  /**
   * @param data row-major values, length {@code rows * dim}
   * @param dim dimension, positive
   */
  public VectorMatrix(float[] data, int dim) {
    if (dim <= 0) {
      throw new IllegalArgumentException("dim must be positive; dim=" + dim);
    }
    if (data.length % dim != 0) {
      throw new IllegalArgumentException("data length " + data.length + " is not a multiple of dim " + dim);
    }
    this.data = data;
    this.dim = dim;
    this.rows = data.length / dim;
    this.norms = new float[rows];
    for (int r = 0; r < rows; r++) {
      norms[r] = norm(data, r * dim, dim);
    }
  }

  /** The Euclidean norm of {@code v} in single precision ({@link Vectors#norm}). */
  public static float norm(float[] v) {
    return (float) Vectors.norm(v);
  }

  private static float norm(float[] v, int from, int length) {
    return (float) Vectors.norm(v, from, length);
  }

  /** Number of vectors. */
  public int rows() {
    return rows;
  }

  /** Dimension. */
  public int dim() {
    return dim;
  }

  /** Euclidean norm of row {@code r}. */
  public float norm(int r) {
    return norms[r];
  }

  /** A copy of row {@code r}. */
  public float[] row(int r) {
    return Arrays.copyOfRange(data, r * dim, (r + 1) * dim);
  }

  /** The backing array (read-only by contract; for kernels). */
  float[] data() {
    return data;
  }

  /** The norms of every row (read-only by contract; for kernels). */
  float[] norms() {
    return norms;
  }
}
