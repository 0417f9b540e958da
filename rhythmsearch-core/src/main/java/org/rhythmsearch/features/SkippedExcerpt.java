package org.rhythmsearch.features;

/**
 * An excerpt that yielded no vector, and why (e.g. "silent (RMS -92.3 dBFS < -70 dBFS)").
 *
 * @param startSeconds start of the excerpt in the track, seconds
 * @param reason one-line human reason
 */
public record SkippedExcerpt(double startSeconds, String reason) {}
