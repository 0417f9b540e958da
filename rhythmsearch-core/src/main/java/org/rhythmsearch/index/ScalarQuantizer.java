package org.rhythmsearch.index;

/**
 * 8-bit scalar quantisation, one range per dimension: value {@code x} of dimension {@code j} is stored
 * as the signed byte {@code c = round((x − min[j]) / step[j]) − 128} (clamped to the range seen in
 * training) and read back as {@code min[j] + (c + 128) · step[j]}, so one value costs one byte and is
 * off by at most {@code step[j] / 2} inside the trained range. A dot product with a query {@code q}
 * is then {@link #offset}(q) plus {@code Σ w[j] · c[j]} with {@code w = }{@link #weights}(q): one
 * multiply-add per byte ({@link Kernels#codeDots}).
 *
 * <p>Immutable; thread-safe.
 */
public final class ScalarQuantizer {

  private final float[] min;
  private final float[] step;

  /** A quantiser with these ranges ({@code step[j] >= 0}; 0 for a dimension that never varied). */
  public ScalarQuantizer(float[] min, float[] step) {
    if (min.length != step.length || min.length == 0) {
      throw new IllegalArgumentException("min and step need one equal, positive length; " + min.length + " and "
          + step.length);
    }
    for (int j = 0; j < step.length; j++) {
      if (!(step[j] >= 0) || !Float.isFinite(step[j]) || !Float.isFinite(min[j])) {
        throw new IllegalArgumentException("dimension " + j + ": min " + min[j] + ", step " + step[j]);
      }
    }
    this.min = min.clone();
    this.step = step.clone();
  }

  /** The per-dimension ranges of {@code rows} rows of {@code data} (row-major, dimension {@code dim}). */
  public static ScalarQuantizer train(float[] data, int dim, int rows) {
    if (rows < 1) {
      throw new IllegalArgumentException("training needs at least one row; rows=" + rows);
    }
    float[] lo = new float[dim];
    float[] hi = new float[dim];
    java.util.Arrays.fill(lo, Float.POSITIVE_INFINITY);
    java.util.Arrays.fill(hi, Float.NEGATIVE_INFINITY);
    for (int r = 0, o = 0; r < rows; r++, o += dim) {
      for (int j = 0; j < dim; j++) {
        lo[j] = Math.min(lo[j], data[o + j]);
        hi[j] = Math.max(hi[j], data[o + j]);
      }
    }
    float[] st = new float[dim];
    for (int j = 0; j < dim; j++) {
      st[j] = (hi[j] - lo[j]) / 255f;
    }
    return new ScalarQuantizer(lo, st);
  }

  /** Dimension. */
  public int dim() {
    return min.length;
  }

  /** A copy of the ranges' lower ends. */
  public float[] min() {
    return min.clone();
  }

  /** A copy of the steps. */
  public float[] step() {
    return step.clone();
  }

  /** Writes the codes of {@code scale · v[from .. from + dim)} to {@code out[at .. at + dim)}. */
  public void encode(float[] v, int from, float scale, byte[] out, int at) {
    for (int j = 0; j < min.length; j++) {
      float x = v[from + j] * scale;
      int c = step[j] > 0 ? Math.round((x - min[j]) / step[j]) : 0;
      out[at + j] = (byte) (Math.max(0, Math.min(255, c)) - 128);
    }
  }

  /** The value code {@code c} of dimension {@code j} stands for. */
  public float decode(int j, byte c) {
    return min[j] + (c + 128) * step[j];
  }

  /** {@code w[j] = q[j] · step[j]}: the per-byte weights of a dot product with {@code q}. */
  public float[] weights(float[] q) {
    float[] w = new float[min.length];
    for (int j = 0; j < w.length; j++) {
      w[j] = q[j] * step[j];
    }
    return w;
  }

  /** {@code Σ q[j] · (min[j] + 128 · step[j])}: the part of a dot product with {@code q} that no code changes. */
  public float offset(float[] q) {
    double s = 0;
    for (int j = 0; j < min.length; j++) {
      s += (double) q[j] * (min[j] + 128f * step[j]);
    }
    return (float) s;
  }
}
