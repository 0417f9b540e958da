package org.rhythmsearch.index;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.rhythmsearch.util.Named;

/**
 * How an index holds its excerpt vectors, in a store and in memory ({@link VectorMatrix}): as float32
 * values ({@code 4·dim} bytes a row, little-endian when stored), or compact as int8 codes with the row's
 * own {@code mid} and {@code step} ({@code dim + 8} bytes: {@code mid} and {@code step} as little-endian
 * float32, then the codes). The identifier is what a store records.
 */
public enum VectorEncoding implements Named {
  /** Four bytes a value, as computed. */
  FLOAT32,
  /** One byte a value, a quarter of the bytes; scores within about 0.0005 of float32's. */
  INT8;

  /** How a new index holds its vectors. */
  public static final VectorEncoding DEFAULT = INT8;

  /** Bytes of one stored row of dimension {@code dim}. */
  public int bytes(int dim) {
    return this == FLOAT32 ? 4 * dim : dim + 8;
  }

  /** The stored bytes of {@code v}. */
  public byte[] encode(float[] v) {
    ByteBuffer out = ByteBuffer.allocate(bytes(v.length)).order(ByteOrder.LITTLE_ENDIAN);
    if (this == FLOAT32) {
      out.asFloatBuffer().put(v);
      return out.array();
    }
    byte[] bytes = out.array();
    float[] ms = VectorMatrix.encode(v, 0, v.length, bytes, 8);
    out.putFloat(0, ms[0]).putFloat(4, ms[1]);
    return bytes;
  }

  /**
   * Sets row {@code r} of {@code into} (which must be of this encoding's form, or float32) from the stored
   * bytes {@code blob[from .. from + bytes(dim))}.
   *
   * @throws IllegalArgumentException when the bytes are too few or hold a value that is not finite (the
   *     message is a predicate: "holds a value that is not a finite number")
   */
  public void decode(byte[] blob, int from, int dim, VectorMatrix.Builder into, int r) {
    if (blob.length - from < bytes(dim)) {
      throw new IllegalArgumentException("has " + (blob.length - from) + " bytes, where a " + id()
          + " vector of dimension " + dim + " has " + bytes(dim));
    }
    ByteBuffer in = ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN);
    if (this == INT8) {
      float mid = in.getFloat(from);
      float step = in.getFloat(from + 4);
      if (!Float.isFinite(mid) || !Float.isFinite(step) || step < 0) {
        throw new IllegalArgumentException("has a range that is not finite (mid " + mid + ", step " + step + ")");
      }
      if (into.encoding() == INT8) {
        into.setCodes(r, blob, from + 8, mid, step);
        return;
      }
      float[] v = new float[dim];
      for (int j = 0; j < dim; j++) {
        v[j] = mid + step * blob[from + 8 + j];
      }
      into.set(r, v);
      return;
    }
    float[] v = new float[dim];
    in.position(from);
    in.asFloatBuffer().get(v);
    for (float x : v) {
      if (!Float.isFinite(x)) {
        throw new IllegalArgumentException("holds a value that is not a finite number");
      }
    }
    into.set(r, v);
  }

  /**
   * {@code v} as an index of this encoding holds it: its stored bytes decoded ({@code v} itself for
   * float32). A query is held this way before it is compared, so that a file and the same file's stored
   * excerpts query alike, to the bit.
   */
  public float[] held(float[] v) {
    return this == FLOAT32 ? v : decode(encode(v), v.length);
  }

  /** The values of one stored row ({@link #decode}). */
  public float[] decode(byte[] blob, int dim) {
    VectorMatrix.Builder one = VectorMatrix.builder(FLOAT32, 1, dim);
    decode(blob, 0, dim, one, 0);
    return one.build().row(0);
  }
}
