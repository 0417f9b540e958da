package org.rhythmsearch.store;

import org.rhythmsearch.audio.Tags;

/**
 * What the index knows about one audio file.
 *
 * @param id row id in the index (0 for a record not yet stored)
 * @param path the file's path as given when indexing (absolute, normalised)
 * @param size file size in bytes when indexed
 * @param mtimeMillis last-modified time in milliseconds when indexed
 * @param hash SHA-256 of the file's bytes (hex), identifies the same content under another path
 * @param durationSeconds audio duration in seconds
 * @param excerpts number of excerpt vectors stored
 * @param problem why the file gave no vectors (e.g. "too short (7.20 s < 10 s excerpt)"), or null
 * @param tags the title, artist and album the file's tags gave when indexed ({@link Tags#NONE} when none)
 */
public record TrackRecord(
    long id,
    String path,
    long size,
    long mtimeMillis,
    String hash,
    double durationSeconds,
    int excerpts,
    String problem,
    Tags tags) {

  public TrackRecord {
    tags = tags == null ? Tags.NONE : tags;
  }

  /** A record without tags. */
  public TrackRecord(long id, String path, long size, long mtimeMillis, String hash, double durationSeconds,
      int excerpts, String problem) {
    this(id, path, size, mtimeMillis, hash, durationSeconds, excerpts, problem, Tags.NONE);
  }

  /** This record under another path. */
  public TrackRecord withPath(String newPath) {
    return new TrackRecord(id, newPath, size, mtimeMillis, hash, durationSeconds, excerpts, problem, tags);
  }
}
