package org.rhythmsearch.index;

import java.util.Arrays;
import org.rhythmsearch.features.Vectors;

/**
 * Vectors of one dimension stored contiguously, row-major, with their Euclidean norms, in one of two
 * forms ({@link VectorEncoding}):
 *
 * <ul>
 *   <li><b>float32</b>: {@code data[row * dim + j]};
 *   <li><b>int8</b> (compact, a quarter of the bytes): each row as {@code dim} signed 8-bit codes with its
 *       own {@code mid} and {@code step}; value {@code j} of row {@code r} is {@code mid[r] + step[r] ·
 *       code[r·dim + j]} in float arithmetic ({@link #row}). The codes spread each row's own range (its
 *       minimum to its maximum) over 256 levels, so no corpus-wide range has to be known or kept: a row is
 *       encoded alone, and adding tracks never re-encodes others. Every score of a compact matrix is a score
 *       of these values (the affine form lets a kernel compute {@code <q, row r>} as {@code mid[r]·Σq +
 *       step[r]·<q, codes>}); the norms are of these values.
 * </ul>
 *
 * <p>Immutable after construction; thread-safe. {@link #withRow} makes a matrix one row longer without
 * copying the rows in the common case (the backing arrays grow by doubling and are shared with the
 * matrices made from them, each of which reads only its own rows).
 */
public final class VectorMatrix {

  /** Levels of a code: 256, stored as {@code level − 128} in a signed byte. */
  private static final int LEVELS = 255;

  private final Backing b;
  private final int rows;
  private final int dim;

  /** The arrays, possibly longer than the rows of the matrices that share them. */
  private static final class Backing {
    final float[] data;
    final byte[] codes;
    final float[] mids;
    final float[] steps;
    final float[] norms;
    int filled;

    Backing(float[] data, byte[] codes, float[] mids, float[] steps, float[] norms, int filled) {
      this.data = data;
      this.codes = codes;
      this.mids = mids;
      this.steps = steps;
      this.norms = norms;
      this.filled = filled;
    }

    int capacity(int dim) {
      return (data != null ? data.length : codes.length) / dim;
    }
  }

  /**
   * A float32 matrix.
   *
   * @param data row-major values, length {@code rows * dim}; the matrix takes ownership
   * @param dim dimension, positive
   */
  public VectorMatrix(float[] data, int dim) {
    this(floatBacking(data, checkedRows(data.length, dim), dim), data.length / dim, dim);
  }

  private VectorMatrix(Backing b, int rows, int dim) {
    this.b = b;
    this.rows = rows;
    this.dim = dim;
  }

  private static int checkedRows(int length, int dim) {
    if (dim <= 0) {
      throw new IllegalArgumentException("dim must be positive; dim=" + dim);
    }
    if (length % dim != 0) {
      throw new IllegalArgumentException("data length " + length + " is not a multiple of dim " + dim);
    }
    return length / dim;
  }

  private static Backing floatBacking(float[] data, int rows, int dim) {
    float[] norms = new float[rows];
    for (int r = 0; r < rows; r++) {
      norms[r] = (float) Vectors.norm(data, r * dim, dim);
    }
    return new Backing(data, null, null, null, norms, rows);
  }

  /**
   * The compact (int8) form of row-major float values: each row encoded by {@link #encode} on its own.
   *
   * @param data row-major values, length {@code rows * dim}; not kept
   */
  public static VectorMatrix compact(float[] data, int dim) {
    int rows = checkedRows(data.length, dim);
    Backing b = new Backing(null, new byte[rows * dim], new float[rows], new float[rows], new float[rows], rows);
    for (int r = 0; r < rows; r++) {
      encodeInto(data, r * dim, dim, b, r);
    }
    return new VectorMatrix(b, rows, dim);
  }

  /** This matrix in the given form: itself when it has it, else a converted copy (float32 from int8 is exact). */
  public VectorMatrix in(VectorEncoding encoding) {
    if (encoding() == encoding) {
      return this;
    }
    float[] all = new float[rows * dim];
    for (int r = 0; r < rows; r++) {
      rowInto(r, all, r * dim);
    }
    return encoding == VectorEncoding.INT8 ? compact(all, dim) : new VectorMatrix(all, dim);
  }

  /** The form the rows are held in. */
  public VectorEncoding encoding() {
    return b.data != null ? VectorEncoding.FLOAT32 : VectorEncoding.INT8;
  }

  /** Whether the rows are held as int8 codes. */
  public boolean compact() {
    return b.data == null;
  }

  /** The Euclidean norm of {@code v} in single precision ({@link Vectors#norm}). */
  public static float norm(float[] v) {
    return (float) Vectors.norm(v);
  }

  /** Number of vectors. */
  public int rows() {
    return rows;
  }

  /** Dimension. */
  public int dim() {
    return dim;
  }

  /** Bytes of one row as held (not counting its norm): {@code 4·dim}, or {@code dim + 8} compact. */
  public int bytesPerRow() {
    return encoding().bytes(dim);
  }

  /** Euclidean norm of row {@code r}. */
  public float norm(int r) {
    return b.norms[r];
  }

  /** A copy of row {@code r} (for a compact matrix, the values its codes stand for). */
  public float[] row(int r) {
    float[] out = new float[dim];
    rowInto(r, out, 0);
    return out;
  }

  /** Writes row {@code r} into {@code out[at .. at + dim)}. */
  public void rowInto(int r, float[] out, int at) {
    if (r < 0 || r >= rows) {
      throw new IndexOutOfBoundsException("row " + r + " of " + rows);
    }
    if (b.data != null) {
      System.arraycopy(b.data, r * dim, out, at, dim);
      return;
    }
    float mid = b.mids[r];
    float step = b.steps[r];
    for (int j = 0, o = r * dim; j < dim; j++) {
      out[at + j] = mid + step * b.codes[o + j];
    }
  }

  /** The given rows, in that order, in this matrix's form (codes copied, not re-encoded). */
  public VectorMatrix select(int[] which) {
    int n = which.length;
    if (b.data != null) {
      float[] out = new float[n * dim];
      for (int i = 0; i < n; i++) {
        rowInto(which[i], out, i * dim);
      }
      return new VectorMatrix(out, dim);
    }
    Backing o = new Backing(null, new byte[n * dim], new float[n], new float[n], new float[n], n);
    for (int i = 0; i < n; i++) {
      int r = which[i];
      if (r < 0 || r >= rows) {
        throw new IndexOutOfBoundsException("row " + r + " of " + rows);
      }
      System.arraycopy(b.codes, r * dim, o.codes, i * dim, dim);
      o.mids[i] = b.mids[r];
      o.steps[i] = b.steps[r];
      o.norms[i] = b.norms[r];
    }
    return new VectorMatrix(o, n, dim);
  }

  /**
   * This matrix with {@code v} appended as its last row (encoded in this matrix's form). Amortised
   * O(dim): the backing arrays are shared and grown by doubling; this matrix is not changed.
   *
   * @throws IllegalArgumentException when {@code v} has another dimension
   */
  public VectorMatrix withRow(float[] v) {
    if (v.length != dim) {
      throw new IllegalArgumentException("vector dimension " + v.length + " does not match " + dim);
    }
    synchronized (b) {
      Backing to = b;
      if (b.filled != rows || rows == b.capacity(dim)) {
        int cap = Math.max(16, rows * 2);
        to = new Backing(b.data == null ? null : Arrays.copyOf(b.data, cap * dim),
            b.codes == null ? null : Arrays.copyOf(b.codes, cap * dim),
            b.mids == null ? null : Arrays.copyOf(b.mids, cap), b.steps == null ? null : Arrays.copyOf(b.steps, cap),
            Arrays.copyOf(b.norms, cap), rows);
      }
      synchronized (to) {
        if (to.data != null) {
          System.arraycopy(v, 0, to.data, rows * dim, dim);
          to.norms[rows] = (float) Vectors.norm(v);
        } else {
          encodeInto(v, 0, dim, to, rows);
        }
        to.filled = rows + 1;
      }
      return new VectorMatrix(to, rows + 1, dim);
    }
  }

  /**
   * Encodes {@code v[from .. from + dim)} as one compact row: {@code mid} and {@code step} into {@code
   * mids[r]}, {@code steps[r]}, the codes into {@code codes[r·dim ..]}, and the norm of the decoded values.
   */
  private static void encodeInto(float[] v, int from, int dim, Backing b, int r) {
    float[] ms = encode(v, from, dim, b.codes, r * dim);
    b.mids[r] = ms[0];
    b.steps[r] = ms[1];
    b.norms[r] = codedNorm(b, r, dim);
  }

  /** The norm of compact row {@code r}'s values ({@code mid + step · code}, as {@link #rowInto} gives them). */
  private static float codedNorm(Backing b, int r, int dim) {
    double ss = 0;
    for (int j = 0, o = r * dim; j < dim; j++) {
      float x = b.mids[r] + b.steps[r] * b.codes[o + j];
      ss += (double) x * x;
    }
    return (float) Math.sqrt(ss);
  }

  /**
   * Encodes {@code v[from .. from + dim)} as {@code dim} codes written to {@code codes[at ..]}: level
   * {@code round((x − min) / step)} of 256 between the row's minimum and maximum, stored minus 128. Returns
   * {@code {mid, step}} with {@code mid = min + 128·step}, so that {@code mid + step·code} is the value.
   * A constant row has step 0.
   */
  static float[] encode(float[] v, int from, int dim, byte[] codes, int at) {
    float lo = Float.POSITIVE_INFINITY;
    float hi = Float.NEGATIVE_INFINITY;
    for (int j = from; j < from + dim; j++) {
      lo = Math.min(lo, v[j]);
      hi = Math.max(hi, v[j]);
    }
    float step = (hi - lo) / LEVELS;
    float inv = step > 0 ? 1f / step : 0f;
    for (int j = 0; j < dim; j++) {
      int level = Math.min(LEVELS, Math.max(0, Math.round((v[from + j] - lo) * inv)));
      codes[at + j] = (byte) (level - 128);
    }
    return new float[] {lo + 128 * step, step};
  }

  /** Builds a matrix row by row from stored rows ({@link VectorEncoding#decodeRow}). */
  public static Builder builder(VectorEncoding encoding, int rows, int dim) {
    return new Builder(encoding, rows, dim);
  }

  /** Fills a matrix of a known size row by row; {@link #build} once every row is set. */
  public static final class Builder {
    private final VectorEncoding encoding;
    private final int rows;
    private final int dim;
    private final Backing b;

    private Builder(VectorEncoding encoding, int rows, int dim) {
      checkedRows(0, dim);
      this.encoding = encoding;
      this.rows = rows;
      this.dim = dim;
      if (encoding == VectorEncoding.FLOAT32) {
        b = new Backing(new float[Math.multiplyExact(rows, dim)], null, null, null, new float[rows], rows);
      } else {
        b = new Backing(null, new byte[Math.multiplyExact(rows, dim)], new float[rows], new float[rows], new float[rows],
            rows);
      }
    }

    /** The matrix's form. */
    public VectorEncoding encoding() {
      return encoding;
    }

    /** Sets row {@code r} from float values (encoded when the matrix is compact). */
    public Builder set(int r, float[] v) {
      if (b.data != null) {
        System.arraycopy(v, 0, b.data, r * dim, dim);
        b.norms[r] = (float) Vectors.norm(v, 0, dim);
      } else {
        encodeInto(v, 0, dim, b, r);
      }
      return this;
    }

    /** Sets compact row {@code r} from its codes, {@code mid} and {@code step}. */
    void setCodes(int r, byte[] codes, int from, float mid, float step) {
      System.arraycopy(codes, from, b.codes, r * dim, dim);
      b.mids[r] = mid;
      b.steps[r] = step;
      b.norms[r] = codedNorm(b, r, dim);
    }

    /** The matrix (the builder must not be used after). */
    public VectorMatrix build() {
      return new VectorMatrix(b, rows, dim);
    }
  }

  // ---- kernels over either form: each returns true dot products / distances of the values the rows hold ----

  /** {@code out[r] = <q, row r>} for every row. */
  void dots(Kernels k, float[] q, float[] out) {
    if (b.data != null) {
      k.dots(q, this, out);
      return;
    }
    k.codeDots(q, b.codes, 0, rows, dim, out);
    float qSum = k.sum(q);
    for (int r = 0; r < rows; r++) {
      out[r] = b.mids[r] * qSum + b.steps[r] * out[r];
    }
  }

  /** {@code out[i] = <q, row ids[i]>}. */
  void dotsOfRows(Kernels k, float[] q, int[] ids, float[] out) {
    dotsOfRows(k, q, b.data != null ? 0f : k.sum(q), ids, 0, ids.length, out);
  }

  /**
   * {@code out[i − from] = <q, row ids[i]>} for {@code from <= i < to}, {@code qSum} the sum of {@code q}'s
   * values (what a compact row's mid multiplies).
   */
  void dotsOfRows(Kernels k, float[] q, float qSum, int[] ids, int from, int to, float[] out) {
    if (b.data != null) {
      k.dotsOfRows(q, b.data, dim, from == 0 && to == ids.length ? ids : Arrays.copyOfRange(ids, from, to), out);
      return;
    }
    k.codeDotsOfRows(q, b.codes, dim, ids, from, to, out);
    for (int i = from; i < to; i++) {
      out[i - from] = b.mids[ids[i]] * qSum + b.steps[ids[i]] * out[i - from];
    }
  }

  /** {@link Kernels#pairedDots} over either form. */
  void pairedDots(Kernels k, float[] q, float[][] alternatives, int[] which, float[] plain, float[] other) {
    if (b.data != null) {
      k.pairedDots(q, alternatives, which, this, plain, other);
      return;
    }
    k.pairedCodeDots(q, alternatives, which, b.codes, rows, dim, plain, other);
    float qSum = k.sum(q);
    float[] aSum = new float[alternatives.length];
    for (int a = 0; a < alternatives.length; a++) {
      aSum[a] = alternatives[a] == null ? 0f : k.sum(alternatives[a]);
    }
    for (int r = 0; r < rows; r++) {
      plain[r] = b.mids[r] * qSum + b.steps[r] * plain[r];
      if (which[r] >= 0) {
        other[r] = b.mids[r] * aSum[which[r]] + b.steps[r] * other[r];
      }
    }
  }

  /**
   * {@code out[i] = |q − row|²} ({@code squared}) or {@code |q − row|₁} for rows {@code ids} (null: every
   * row, in order). Squared distances of compact rows come from their dot products and norms.
   */
  void distances(Kernels k, float[] q, int[] ids, float[] out, boolean squared) {
    int n = ids == null ? rows : ids.length;
    if (b.data != null) {
      if (ids == null) {
        for (int r = 0; r < n; r++) {
          out[r] = k.distance(q, b.data, r * dim, dim, squared);
        }
      } else {
        k.distances(q, b.data, dim, ids, out, squared);
      }
      return;
    }
    if (squared) {
      float qq = (float) Vectors.norm(q);
      qq *= qq;
      int[] all = ids;
      if (all == null) {
        dots(k, q, out);
      } else {
        dotsOfRows(k, q, all, out);
      }
      for (int i = 0; i < n; i++) {
        float rn = b.norms[ids == null ? i : ids[i]];
        out[i] = Math.max(0f, qq + rn * rn - 2 * out[i]);
      }
      return;
    }
    float[] row = new float[dim];
    for (int i = 0; i < n; i++) {
      rowInto(ids == null ? i : ids[i], row, 0);
      out[i] = k.distance(q, row, 0, dim, false);
    }
  }

  /** The backing float array of a float32 matrix (read-only by contract; for kernels). */
  float[] data() {
    if (b.data == null) {
      throw new IllegalStateException("a compact matrix has no float array");
    }
    return b.data;
  }

  /** The norms of every row (read-only by contract; may be longer than {@link #rows}). */
  float[] norms() {
    return b.norms;
  }

  /** The codes of a compact matrix (read-only by contract), with {@link #mids} and {@link #steps}. */
  byte[] codes() {
    return b.codes;
  }

  float[] mids() {
    return b.mids;
  }

  float[] steps() {
    return b.steps;
  }
}
