package org.rhythmsearch.features;

/**
 * The rhythm vector of one excerpt of a track.
 *
 * <p>Immutable by convention (the constructor takes ownership of {@code vector}); thread-safe.
 *
 * @param startSeconds start of the excerpt in the track, seconds
 * @param vector unit-norm rhythm vector
 */
public record ExcerptVector(double startSeconds, float[] vector) {

  public ExcerptVector {
    if (!(startSeconds >= 0)) {
      throw new IllegalArgumentException("startSeconds must be >= 0; startSeconds=" + startSeconds);
    }
    if (vector == null || vector.length == 0) {
      throw new IllegalArgumentException("vector must be non-empty");
    }
  }
}
