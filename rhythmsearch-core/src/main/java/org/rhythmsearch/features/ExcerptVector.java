package org.rhythmsearch.features;

/**
 * The rhythm vector of one excerpt of a track.
 *
 * <p>Immutable by convention (the constructor takes ownership of {@code vector}); thread-safe.
 *
 * @param startSeconds start of the excerpt in the track, seconds
 * @param vector unit-norm rhythm vector
 * @param tempoBpm the excerpt's tempo ({@link TempoEstimator}), beats per minute, or NaN when unknown
 */
public record ExcerptVector(double startSeconds, float[] vector, double tempoBpm) {

  /** An excerpt whose tempo is unknown. */
  public ExcerptVector(double startSeconds, float[] vector) {
    this(startSeconds, vector, Double.NaN);
  }

  public ExcerptVector {
    if (!(Double.isNaN(tempoBpm) || tempoBpm > 0 && !Double.isInfinite(tempoBpm))) {
      throw new IllegalArgumentException("tempoBpm must be > 0 and finite, or NaN; tempoBpm=" + tempoBpm);
    }
    if (!(startSeconds >= 0)) {
      throw new IllegalArgumentException("startSeconds must be >= 0; startSeconds=" + startSeconds);
    }
    if (vector == null || vector.length == 0) {
      throw new IllegalArgumentException("vector must be non-empty");
    }
  }
}
