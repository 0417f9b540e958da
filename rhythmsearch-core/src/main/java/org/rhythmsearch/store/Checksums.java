package org.rhythmsearch.store;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;
import org.rhythmsearch.audio.Tags;

/**
 * The CRC32C checksums a store keeps beside what it stores (a track's record, each excerpt's row), so
 * that damage below the database (a flipped bit, an overwritten page) is detected when the index is
 * read instead of silently changing an answer.
 *
 * <p>Stateless; thread-safe.
 */
final class Checksums {

  private Checksums() {}

  /** The checksum of a track's record (its id is not covered: it is the row's key). */
  static int track(String path, long size, long mtimeMillis, String hash, double durationSeconds, int excerpts,
      String problem) {
    return track(path, size, mtimeMillis, hash, durationSeconds, excerpts, problem, Tags.NONE);
  }

  /**
   * The checksum of a track's record with its tags (a record without tags has the checksum it had before
   * tags were stored).
   */
  static int track(String path, long size, long mtimeMillis, String hash, double durationSeconds, int excerpts,
      String problem, Tags tags) {
    String canonical = path + '\0' + size + '\0' + mtimeMillis + '\0' + hash + '\0'
        + Long.toHexString(Double.doubleToLongBits(durationSeconds)) + '\0' + excerpts + '\0'
        + (problem == null ? "\1" : problem)
        + (tags.isEmpty() ? "" : '\0' + text(tags.title()) + '\0' + text(tags.artist()) + '\0' + text(tags.album()));
    CRC32C c = new CRC32C();
    c.update(canonical.getBytes(StandardCharsets.UTF_8));
    return (int) c.getValue();
  }

  private static String text(String s) {
    return s == null ? "\1" : s;
  }

  /** The checksum of one excerpt row: its track id, start, vector bytes and tempo (NaN when unknown). */
  static int excerpt(long trackId, double startSeconds, byte[] vector, double tempoBpm) {
    CRC32C c = new CRC32C();
    ByteBuffer b = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(trackId).putLong(Double.doubleToLongBits(startSeconds)).putLong(Double.doubleToLongBits(tempoBpm));
    c.update(b.array());
    c.update(vector == null ? new byte[0] : vector);
    return (int) c.getValue();
  }
}
