package org.rhythmsearch.store;

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
 */
public record TrackRecord(
    long id,
    String path,
    long size,
    long mtimeMillis,
    String hash,
    double durationSeconds,
    int excerpts,
    String problem) {}
