package org.rhythmsearch.store;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;
import java.util.zip.CRC32C;
import org.rhythmsearch.index.IvfIndex;
import org.rhythmsearch.index.ScalarQuantizer;
import org.rhythmsearch.index.VectorMatrix;

/**
 * An IVF index as a store keeps it: one binary value, the same in every store. It holds the parameters,
 * the centroids, the quantiser's ranges and every snapshot row's list, with a fingerprint of the rows
 * it covers (each row's track id and start, in snapshot order) and a CRC-32C of all of it. The codes
 * are not stored: they are recomputed from the vectors on load (one pass), so they always match them.
 *
 * <p>Layout, little-endian: int magic {@code RSIV}, int format, int lists, int probes, int rerank, long
 * seed, int dim, int rows, long row fingerprint, float[lists·dim] centroids, float[dim] minima,
 * float[dim] steps, int[rows] lists, int CRC-32C of everything before it.
 *
 * <p>Immutable by contract (arrays are not copied).
 */
public record StoredIvf(IvfIndex.Params params, VectorMatrix centroids, ScalarQuantizer quantizer, int[] assignment) {

  /** Version of the layout written. */
  public static final int FORMAT = 1;

  /** Rows whose stored list is checked against the centroids on load. */
  static final int CHECKED_ROWS = 256;

  private static final int MAGIC = 0x56495352; // "RSIV" read little-endian

  /** Bytes before the centroids. */
  private static final int HEADER = 44;

  /** A stored row may sit in a list whose centroid is this much (cosine) less near than the nearest: rounding of another kernel. */
  private static final float TIE_TOLERANCE = 1e-4f;

  private static final String REBUILD = "; rebuild it with index --ann ivf";

  /** The stored form of {@code ivf}, built over {@code snapshot}'s rows. */
  static byte[] encode(Snapshot snapshot, IvfIndex ivf) {
    int dim = ivf.dim();
    int lists = ivf.params().lists();
    int rows = snapshot.vectors().rows();
    if (ivf.size() != rows) {
      throw new IllegalArgumentException("the IVF index holds " + ivf.size() + " rows, the snapshot " + rows);
    }
    ByteBuffer b = ByteBuffer.allocate(HEADER + 4 * (lists * dim + 2 * dim + rows) + 4).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(MAGIC).putInt(FORMAT).putInt(lists).putInt(ivf.params().probes()).putInt(ivf.params().rerank())
        .putLong(ivf.params().seed()).putInt(dim).putInt(rows).putLong(snapshot.rowFingerprint());
    for (int l = 0; l < lists; l++) {
      for (float x : ivf.centroids().row(l)) {
        b.putFloat(x);
      }
    }
    for (float x : ivf.quantizer().min()) {
      b.putFloat(x);
    }
    for (float x : ivf.quantizer().step()) {
      b.putFloat(x);
    }
    for (int l : ivf.assignment()) {
      b.putInt(l);
    }
    CRC32C crc = new CRC32C();
    crc.update(b.array(), 0, b.position());
    b.putInt((int) crc.getValue());
    return b.array();
  }

  /**
   * The stored index if it covers exactly {@code snapshot}'s rows; empty when it was built before tracks
   * were added or removed.
   *
   * @param location the store, for messages
   * @throws StoreException when the value is damaged or of a format this code does not read
   */
  static Optional<StoredIvf> decode(byte[] blob, Snapshot snapshot, String location) throws StoreException {
    try {
      ByteBuffer b = ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN);
      if (blob.length < HEADER + 4 || b.getInt() != MAGIC) {
        throw new StoreException(location + ": damaged IVF index: not an IVF value" + REBUILD);
      }
      int format = b.getInt();
      if (format != FORMAT) {
        throw new StoreException(location + ": IVF format " + format + " is not one this rhythmsearch reads (" + FORMAT
            + ")" + REBUILD);
      }
      CRC32C crc = new CRC32C();
      crc.update(blob, 0, blob.length - 4);
      if ((int) crc.getValue() != ByteBuffer.wrap(blob, blob.length - 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt()) {
        throw new StoreException(location + ": damaged IVF index: it fails its checksum" + REBUILD);
      }
      int lists = b.getInt();
      int probes = b.getInt();
      int rerank = b.getInt();
      long seed = b.getLong();
      int dim = b.getInt();
      int rows = b.getInt();
      long rowsFingerprint = b.getLong();
      if (rows != snapshot.vectors().rows() || rowsFingerprint != snapshot.rowFingerprint()) {
        return Optional.empty(); // tracks were added or removed since: stale
      }
      if (dim != snapshot.vectors().dim()) {
        throw new StoreException(location + ": damaged IVF index: dimension " + dim + ", the index's "
            + snapshot.vectors().dim() + REBUILD);
      }
      if (lists < 1 || dim < 1 || 4L * ((long) lists * dim + 2L * dim + rows) + HEADER + 4 != blob.length) {
        throw new StoreException(location + ": damaged IVF index: " + lists + " lists of dimension " + dim + " and "
            + rows + " rows do not fill its " + blob.length + " bytes" + REBUILD);
      }
      float[] c = new float[lists * dim];
      for (int i = 0; i < c.length; i++) {
        c[i] = b.getFloat();
      }
      float[] min = new float[dim];
      float[] step = new float[dim];
      for (int j = 0; j < dim; j++) {
        min[j] = b.getFloat();
      }
      for (int j = 0; j < dim; j++) {
        step[j] = b.getFloat();
      }
      int[] assignment = new int[rows];
      for (int r = 0; r < rows; r++) {
        assignment[r] = b.getInt();
      }
      return Optional.of(new StoredIvf(new IvfIndex.Params(lists, probes, rerank, seed), new VectorMatrix(c, dim),
          new ScalarQuantizer(min, step), assignment));
    } catch (IllegalArgumentException | java.nio.BufferUnderflowException e) {
      throw new StoreException(location + ": damaged IVF index: " + e.getMessage() + REBUILD, e);
    }
  }

  /**
   * The IVF index over {@code snapshot}, after checking on up to {@value #CHECKED_ROWS} rows spread over
   * it that each sits in the list of its nearest centroid, as the build put it: a stored index answers
   * as it did when built, or is refused.
   *
   * @throws StoreException when a checked row is in another list
   */
  public IvfIndex toIndex(Snapshot snapshot, String location) throws StoreException {
    IvfIndex ivf;
    try {
      ivf = new IvfIndex(snapshot.vectors(), params, centroids, quantizer, assignment);
    } catch (IllegalArgumentException e) {
      throw new StoreException(location + ": damaged IVF index (" + e.getMessage() + ")" + REBUILD, e);
    }
    int n = snapshot.vectors().rows();
    int checked = Math.min(n, CHECKED_ROWS);
    for (int i = 0; i < checked; i++) {
      int r = (int) ((long) i * n / checked);
      float[] own = ivf.ownAndNearestCentroidCosine(r, assignment[r]);
      if (own[0] < own[1] - TIE_TOLERANCE) {
        throw new StoreException(location + ": the stored IVF lists do not match their centroids (row " + r + " is in list "
            + assignment[r] + ", cosine " + own[0] + ", but its nearest centroid is at " + own[1] + ")" + REBUILD);
      }
    }
    return ivf;
  }
}
