package org.rhythmsearch.index;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The random hyperplanes of an {@link LshIndex}: {@code tables × bits} for the tables' codes, then
 * {@value LshIndex#SKETCH_BITS} for the sketches, Gaussian from a {@link SplittableRandom} seeded with
 * the parameters' seed, all passing through one centre point.
 *
 * <p>Immutable; thread-safe.
 */
final class Hyperplanes {

  private final int tables;
  private final int bits;
  private final int dim;
  private final float[] planes; // [table * bits + bit][dim], then the sketch planes
  private final float[] center;
  private final float[] offsets; // <plane, center> per plane
  private final int[] planeRows; // 0 .. tables * bits + SKETCH_BITS - 1
  private final int[] sketchRows;

  Hyperplanes(LshIndex.Params params, int dim, float[] center) {
    this.tables = params.tables();
    this.bits = params.bits();
    this.dim = dim;
    this.planes = generate(params, dim);
    this.center = center.clone();
    planeRows = new int[tables * bits + LshIndex.SKETCH_BITS];
    Arrays.setAll(planeRows, i -> i);
    sketchRows = new int[LshIndex.SKETCH_BITS];
    Arrays.setAll(sketchRows, i -> tables * bits + i);
    offsets = new float[planeRows.length];
    Kernels.best().dotsOfRows(this.center, planes, dim, planeRows, offsets);
  }

  /** The Gaussian hyperplanes for {@code params} (tables × bits, then the sketch's): deterministic in the seed. */
  static float[] generate(LshIndex.Params params, int dim) {
    SplittableRandom rnd = new SplittableRandom(params.seed());
    float[] p = new float[(params.tables() * params.bits() + LshIndex.SKETCH_BITS) * dim];
    for (int i = 0; i < p.length; i++) {
      p[i] = (float) rnd.nextGaussian();
    }
    return p;
  }

  /** The point every hyperplane passes through (a copy). */
  float[] center() {
    return center.clone();
  }

  /** Planes of all tables and the sketch. */
  int count() {
    return planeRows.length;
  }

  /**
   * Signed distances of {@code v / norm} from every hyperplane (tables × bits, then the sketch's), each
   * plane through the centre, times the plane normal's length.
   */
  float[] project(float[] v, float norm) {
    float[] proj = new float[planeRows.length];
    Kernels.best().dotsOfRows(v, planes, dim, planeRows, proj);
    centre(proj, 0, norm);
    return proj;
  }

  /** Projects {@code v} on the sketch planes only, into {@code proj}'s sketch positions (the table positions are left as they are). */
  void projectSketch(float[] v, float norm, float[] proj) {
    Kernels.best().dotsOfRows(v, planes, dim, sketchRows, proj);
    System.arraycopy(proj, 0, proj, tables * bits, LshIndex.SKETCH_BITS);
    centre(proj, tables * bits, norm);
  }

  /** {@code proj[i] = proj[i] / norm − offsets[i]} from {@code from} on (a zero vector sits at the origin). */
  private void centre(float[] proj, int from, float norm) {
    float inv = norm > 0 ? 1f / norm : 0f;
    for (int i = from; i < proj.length; i++) {
      proj[i] = proj[i] * inv - offsets[i];
    }
  }

  /** Table {@code t}'s code: bit b set when the projection on its plane b is positive. */
  int code(float[] proj, int t) {
    return (int) signBits(proj, t * bits, bits);
  }

  /** The 64-bit sketch: the signs of the projections after the tables'. */
  long sketch(float[] proj) {
    return signBits(proj, tables * bits, LshIndex.SKETCH_BITS);
  }

  /** Where the sketch's projections start in a projection array. */
  int sketchFrom() {
    return tables * bits;
  }

  /** Bit b set when {@code proj[from + b] > 0}, for b &lt; {@code count} (at most 64). */
  private static long signBits(float[] proj, int from, int count) {
    long code = 0;
    for (int b = 0; b < count; b++) {
      if (proj[from + b] > 0) {
        code |= 1L << b;
      }
    }
    return code;
  }

  /** {@code |q / |q| − center|}: the length of the centred query. */
  double centredNorm(float[] q, float qNorm) {
    if (qNorm <= 0) {
      return VectorMatrix.norm(center);
    }
    double ss = 0;
    for (int j = 0; j < dim; j++) {
      double x = q[j] / qNorm - center[j];
      ss += x * x;
    }
    return Math.sqrt(ss);
  }

  /** The mean of the unit-normalised rows ({@link LshIndex#meanDirection}). */
  static float[] meanDirection(VectorMatrix vectors) {
    int dim = vectors.dim();
    double[] sum = new double[dim];
    int counted = 0;
    for (int r = 0; r < vectors.rows(); r++) {
      float n = vectors.norm(r);
      if (n > 0) {
        float[] row = vectors.row(r);
        for (int j = 0; j < dim; j++) {
          sum[j] += row[j] / n;
        }
        counted++;
      }
    }
    float[] mean = new float[dim];
    for (int j = 0; j < dim && counted > 0; j++) {
      mean[j] = (float) (sum[j] / counted);
    }
    return mean;
  }}
