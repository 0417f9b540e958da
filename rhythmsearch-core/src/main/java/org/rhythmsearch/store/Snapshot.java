package org.rhythmsearch.store;

import java.util.List;
import org.rhythmsearch.features.FeatureConfig;
import org.rhythmsearch.index.VectorMatrix;

/**
 * Everything in an index, loaded for searching: the tracks, and all excerpt vectors in one
 * contiguous matrix with, per row, the track it belongs to and its start time.
 *
 * <p>Immutable by contract (arrays are not copied); thread-safe for reading.
 *
 * @param config the feature configuration the vectors were made with
 * @param tracks every track, in id order
 * @param vectors one row per excerpt
 * @param excerptTrack per row: index into {@code tracks}
 * @param excerptStart per row: start of the excerpt in its track, seconds
 * @param excerptTempo per row: the excerpt's tempo, BPM, or NaN when unknown
 */
public record Snapshot(
    FeatureConfig config,
    List<TrackRecord> tracks,
    VectorMatrix vectors,
    int[] excerptTrack,
    float[] excerptStart,
    float[] excerptTempo) {

  public Snapshot {
    int rows = vectors.rows();
    if (excerptTrack.length != rows || excerptStart.length != rows || excerptTempo.length != rows) {
      throw new IllegalArgumentException("per-row arrays must have one value per vector row (" + rows + "); excerptTrack="
          + excerptTrack.length + ", excerptStart=" + excerptStart.length + ", excerptTempo=" + excerptTempo.length);
    }
  }

  /** A snapshot whose excerpts' tempi are unknown. */
  public Snapshot(FeatureConfig config, List<TrackRecord> tracks, VectorMatrix vectors, int[] excerptTrack,
      float[] excerptStart) {
    this(config, tracks, vectors, excerptTrack, excerptStart, unknown(vectors.rows()));
  }

  /**
   * What identifies the rows: each row's track id and start, in order (CRC-32C, the row count in the
   * high bits). A stored approximate index keeps it, so it is not used after tracks changed.
   */
  public long rowFingerprint() {
    java.util.zip.CRC32C c = new java.util.zip.CRC32C();
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(12).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    for (int r = 0; r < vectors.rows(); r++) {
      b.clear();
      b.putLong(tracks.get(excerptTrack[r]).id()).putFloat(excerptStart[r]);
      c.update(b.array());
    }
    return c.getValue() ^ ((long) vectors.rows() << 32);
  }

  private static float[] unknown(int rows) {
    float[] t = new float[rows];
    java.util.Arrays.fill(t, Float.NaN);
    return t;
  }

  /** Per-track tempo lists as arrays, in the same order ({@link VectorStore#excerptTempi}). */
  static java.util.Map<Long, float[]> tempiArrays(java.util.Map<Long, java.util.List<Float>> byTrack) {
    java.util.Map<Long, float[]> out = new java.util.LinkedHashMap<>();
    byTrack.forEach((id, list) -> {
      float[] t = new float[list.size()];
      for (int n = 0; n < t.length; n++) {
        t[n] = list.get(n);
      }
      out.put(id, t);
    });
    return out;
  }
}
